package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.TOPIC;
import static io.millrace.metadata.controller.TestImages.partitionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.controller.command.ElectLeaders.TopicPartitionRef;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ElectionCommandsTest {
    private final MetadataImage image = TestImages.builder().active(1, 2).fenced(3).topic()
            .partition(0, List.of(1, 2), List.of(1, 2), 2)          // preferred 1 can lead
            .partition(1, List.of(1, 2), List.of(1, 2), 1)          // already preferred
            .partition(2, List.of(3, 1), List.of(3, 1), 1)          // preferred 3 fenced
            .partition(3, List.of(3, 2), List.of(3), PartitionRecord.NO_LEADER) // unclean candidate 2
            .partition(4, List.of(3), List.of(3), PartitionRecord.NO_LEADER)    // nobody can lead
            .build();

    private static List<TopicPartitionRef> refs(int... partitions) {
        return java.util.Arrays.stream(partitions).mapToObj(p -> new TopicPartitionRef(TOPIC, p)).toList();
    }

    private static List<Errors> errors(CommandResult<ElectLeaders.Reply> r) {
        return r.reply().results().stream().map(x -> x.error().error()).toList();
    }

    @Test
    void preferredElection() {
        CommandResult<ElectLeaders.Reply> r = ElectionCommands.elect(image,
                new ElectLeaders(ElectLeaders.PREFERRED, refs(0, 1, 2, 9)));
        assertEquals(List.of(Errors.NONE, Errors.ELECTION_NOT_NEEDED, Errors.PREFERRED_LEADER_NOT_AVAILABLE,
                Errors.UNKNOWN_TOPIC_OR_PARTITION), errors(r));
        PartitionRecord p0 = partitionOf(image.apply(r.records()), 0);
        assertEquals(1, p0.leader());
        assertEquals(List.of(1, 2), p0.isr());
        assertEquals(6, p0.leaderEpoch());
        assertEquals(11, p0.partitionEpoch());
    }

    @Test
    void uncleanElection() {
        CommandResult<ElectLeaders.Reply> r = ElectionCommands.elect(image,
                new ElectLeaders(ElectLeaders.UNCLEAN, refs(0, 3, 4)));
        assertEquals(List.of(Errors.ELECTION_NOT_NEEDED, Errors.NONE, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE), errors(r));
        PartitionRecord p3 = partitionOf(image.apply(r.records()), 3);
        assertEquals(2, p3.leader());
        assertEquals(List.of(2), p3.isr());
    }

    @Test
    void allPartitionsListsOnlyChangesAndFailures() {
        CommandResult<ElectLeaders.Reply> r = ElectionCommands.elect(image, new ElectLeaders(ElectLeaders.PREFERRED, null));
        assertEquals(List.of(new TopicPartitionRef(TOPIC, 0), new TopicPartitionRef(TOPIC, 2),
                        new TopicPartitionRef(TOPIC, 3), new TopicPartitionRef(TOPIC, 4)),
                r.reply().results().stream().map(x -> new TopicPartitionRef(x.topic(), x.partition())).toList());
        assertEquals(1, r.records().size());
    }

    @Test
    void rebalanceMovesLeadershipBackToActivePreferredReplicas() {
        List<io.millrace.metadata.records.MetadataRecord> records = ElectionCommands.rebalance(image);
        assertEquals(1, records.size());
        assertEquals(1, partitionOf(image.apply(records), 0).leader());
    }
}

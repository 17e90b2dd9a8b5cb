package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.SETTINGS;
import static io.millrace.metadata.controller.TestImages.TOPIC;
import static io.millrace.metadata.controller.TestImages.partitionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.AlterReassignments.Reassignment;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ReassignmentCommandsTest {
    private final MetadataImage image = TestImages.builder().active(1, 2, 3, 4).topic()
            .partition(0, List.of(1, 2), List.of(1, 2), 1)
            .build();

    private static CommandResult<io.millrace.metadata.controller.command.Errors> alter(MetadataImage image,
                                                                                     Reassignment... items) {
        return ReassignmentCommands.alter(image, new AlterReassignments(Arrays.asList(items)), SETTINGS);
    }

    private static List<Integer> list(Integer... ids) {
        return ids == null ? null : Arrays.asList(ids);
    }

    @Test
    void validation() {
        CommandResult<io.millrace.metadata.controller.command.Errors> r = alter(image,
                new Reassignment(TOPIC, 0, List.of()),
                new Reassignment(TOPIC, 0, List.of(3, 3)),
                new Reassignment(TOPIC, 0, List.of(3, 9)),
                new Reassignment(TOPIC, 7, List.of(3)),
                new Reassignment("nope", 0, List.of(3)),
                new Reassignment(TOPIC, 0, null));
        assertEquals(List.of(Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT,
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                Errors.NO_REASSIGNMENT_IN_PROGRESS), r.reply().errors().stream().map(ApiError::error).toList());
        assertEquals(List.of(), r.records());
    }

    @Test
    void startThenFinishWhenTheAddedReplicasAreInSync() {
        MetadataImage started = image.apply(alter(image, new Reassignment(TOPIC, 0, list(3, 2))).records());
        PartitionRecord p = partitionOf(started, 0);
        assertEquals(List.of(3, 2, 1), p.replicas());
        assertEquals(List.of(3), p.addingReplicas());
        assertEquals(List.of(1), p.removingReplicas());
        assertEquals(11, p.partitionEpoch());
        assertEquals(5, p.leaderEpoch());

        PartitionRecord joined = PartitionStates.withLeaderAndIsr(p, 1, List.of(1, 2, 3));
        PartitionRecord done = ReassignmentCommands.finishIfComplete(started,
                started.topic(TOPIC).orElseThrow(), joined, SETTINGS);
        assertEquals(List.of(3, 2), done.replicas());
        assertEquals(List.of(2, 3), done.isr());
        assertEquals(3, done.leader(), "the leaving leader is replaced by the first in-sync target replica");
        assertFalse(done.isReassigning());
    }

    @Test
    void nothingToAddFinishesAtOnce() {
        PartitionRecord p = partitionOf(image.apply(alter(image, new Reassignment(TOPIC, 0, list(2))).records()), 0);
        assertEquals(List.of(2), p.replicas());
        assertEquals(List.of(2), p.isr());
        assertEquals(2, p.leader());
        assertFalse(p.isReassigning());
    }

    @Test
    void cancelRestoresTheOriginalReplicas() {
        MetadataImage started = image.apply(alter(image, new Reassignment(TOPIC, 0, list(3, 4))).records());
        assertEquals(List.of(3, 4, 1, 2), partitionOf(started, 0).replicas());
        CommandResult<io.millrace.metadata.controller.command.Errors> r = alter(started,
                new Reassignment(TOPIC, 0, null));
        assertEquals(List.of(ApiError.NONE), r.reply().errors());
        PartitionRecord p = partitionOf(started.apply(r.records()), 0);
        assertEquals(List.of(1, 2), p.replicas());
        assertEquals(List.of(1, 2), p.isr());
        assertEquals(1, p.leader());
        assertFalse(p.isReassigning());
    }
}

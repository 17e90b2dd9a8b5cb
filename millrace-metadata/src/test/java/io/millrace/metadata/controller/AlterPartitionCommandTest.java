package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.SETTINGS;
import static io.millrace.metadata.controller.TestImages.TOPIC_ID;
import static io.millrace.metadata.controller.TestImages.epochOf;
import static io.millrace.metadata.controller.TestImages.partitionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.controller.command.AlterPartition.IsrChange;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class AlterPartitionCommandTest {
    private final MetadataImage image = TestImages.builder().active(1, 2, 3).fenced(4).shuttingDown(5).topic()
            .partition(0, List.of(1, 2, 3, 4, 5), List.of(1), 1)
            .build();

    private Errors alter(int broker, long epoch, IsrChange change) {
        AlterPartition.Reply reply = AlterPartitionCommand.alter(image, new AlterPartition(broker, epoch,
                List.of(change)), SETTINGS).reply();
        return reply.error().isSuccess() ? reply.results().get(0).error().error() : reply.error().error();
    }

    private static IsrChange change(int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return new IsrChange(TOPIC_ID, 0, leaderEpoch, partitionEpoch, isr);
    }

    @Test
    void validatesEveryChange() {
        assertEquals(Errors.STALE_BROKER_EPOCH, alter(1, 1, change(5, 10, List.of(1, 2))));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, alter(1, epochOf(1),
                new IsrChange(Uuid.randomUuid(), 0, 5, 10, List.of(1))));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, alter(2, epochOf(2), change(5, 10, List.of(1, 2))));
        assertEquals(Errors.FENCED_LEADER_EPOCH, alter(1, epochOf(1), change(4, 10, List.of(1, 2))));
        assertEquals(Errors.INVALID_UPDATE_VERSION, alter(1, epochOf(1), change(5, 9, List.of(1, 2))));
        assertEquals(Errors.INVALID_REQUEST, alter(1, epochOf(1), change(5, 10, List.of())));
        assertEquals(Errors.INVALID_REQUEST, alter(1, epochOf(1), change(5, 10, List.of(1, 2, 2))));
        assertEquals(Errors.INVALID_REQUEST, alter(1, epochOf(1), change(5, 10, List.of(2, 3))));
        assertEquals(Errors.INVALID_REQUEST, alter(1, epochOf(1), change(5, 10, List.of(1, 9))));
        assertEquals(Errors.INELIGIBLE_REPLICA, alter(1, epochOf(1), change(5, 10, List.of(1, 4))));
        assertEquals(Errors.INELIGIBLE_REPLICA, alter(1, epochOf(1), change(5, 10, List.of(1, 5))));
    }

    @Test
    void acceptedChangeBumpsThePartitionEpochOnly() {
        CommandResult<AlterPartition.Reply> r = AlterPartitionCommand.alter(image, new AlterPartition(1, epochOf(1),
                List.of(change(5, 10, List.of(1, 2, 3)))), SETTINGS);
        PartitionRecord state = r.reply().results().get(0).state();
        assertEquals(new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3, 4, 5), List.of(1, 2, 3), 1, 5, 11), state);
        assertEquals(List.of(state), r.records());
        assertEquals(state, partitionOf(image.apply(r.records()), 0));
    }

    @Test
    void joiningTheIsrFinishesAReassignment() {
        MetadataImage reassigning = TestImages.builder().active(1, 2, 3).topic()
                .record(new PartitionRecord(TOPIC_ID, 0, List.of(2, 3, 1), List.of(1, 2), 1, 5, 10,
                        List.of(3), List.of(1)))
                .build();
        CommandResult<AlterPartition.Reply> r = AlterPartitionCommand.alter(reassigning, new AlterPartition(1,
                epochOf(1), List.of(change(5, 10, List.of(1, 2, 3)))), SETTINGS);
        PartitionRecord done = r.reply().results().get(0).state();
        assertEquals(List.of(2, 3), done.replicas());
        assertEquals(List.of(2, 3), done.isr());
        assertEquals(2, done.leader());
        assertEquals(6, done.leaderEpoch());
        assertTrue(!done.isReassigning());
        assertEquals(List.of(done), r.records());
    }
}

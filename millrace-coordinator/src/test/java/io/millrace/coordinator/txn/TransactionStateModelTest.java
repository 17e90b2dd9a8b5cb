package io.millrace.coordinator.txn;

import static io.millrace.coordinator.txn.TransactionStatus.COMPLETE_ABORT;
import static io.millrace.coordinator.txn.TransactionStatus.COMPLETE_COMMIT;
import static io.millrace.coordinator.txn.TransactionStatus.DEAD;
import static io.millrace.coordinator.txn.TransactionStatus.EMPTY;
import static io.millrace.coordinator.txn.TransactionStatus.ONGOING;
import static io.millrace.coordinator.txn.TransactionStatus.PREPARE_ABORT;
import static io.millrace.coordinator.txn.TransactionStatus.PREPARE_COMMIT;
import static io.millrace.coordinator.txn.TransactionStatus.PREPARE_EPOCH_FENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The status table, the names tools see, and the on-disk record. */
class TransactionStateModelTest {

    @Test
    void everyStatusHasKafkasIdNameAndPredecessors() {
        assertEquals(List.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort",
                "Dead", "PrepareEpochFence"), java.util.Arrays.stream(TransactionStatus.values())
                .map(TransactionStatus::displayName).toList());
        for (TransactionStatus status : TransactionStatus.values()) {
            assertEquals(status, TransactionStatus.fromId(status.id()));
            assertEquals(status, TransactionStatus.fromDisplayName(status.displayName()).orElseThrow());
        }
        assertEquals(7, PREPARE_EPOCH_FENCE.id());
        assertEquals(EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT), EMPTY.predecessors());
        assertEquals(EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT), ONGOING.predecessors());
        assertEquals(EnumSet.of(ONGOING), PREPARE_COMMIT.predecessors());
        assertEquals(EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
                PREPARE_ABORT.predecessors());
        assertEquals(EnumSet.of(PREPARE_COMMIT), COMPLETE_COMMIT.predecessors());
        assertEquals(EnumSet.of(PREPARE_ABORT), COMPLETE_ABORT.predecessors());
        assertEquals(EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT), DEAD.predecessors());
        assertEquals(EnumSet.of(ONGOING), PREPARE_EPOCH_FENCE.predecessors());
        assertTrue(TransactionStatus.fromDisplayName("ongoing").isEmpty());
    }

    @Test
    void aTransitionOutsideTheTableIsRefused() {
        TransactionMetadata empty = metadata(EMPTY, Set.of());
        assertThrows(IllegalStateException.class, () -> empty.transitionTo(PREPARE_COMMIT, (short) 0, (short) -1,
                Set.of(), -1, 5));
    }

    @Test
    void aRecordReadsBackAsWritten() {
        TransactionMetadata m = new TransactionMetadata("tx-ü", 42, 41, 43, (short) 7, (short) 6, 60_000,
                PREPARE_COMMIT, Set.of(new TopicPartition("b", 1), new TopicPartition("a", 2), new TopicPartition("a", 0)),
                1_000, 2_000, (short) 2);
        CoordinatorRecord record = TransactionRecords.record(m);
        assertEquals(TransactionRecords.KEY_TYPE, record.keyType());
        assertEquals(m, TransactionRecords.metadata(record));
        assertEquals("tx-ü", TransactionRecords.transactionalId(record));
    }

    @Test
    void anExpiredIdIsATombstone() {
        CoordinatorRecord tombstone = TransactionRecords.tombstone("tx");
        assertTrue(tombstone.isTombstone());
        assertNull(tombstone.value());
        assertEquals("tx", TransactionRecords.transactionalId(tombstone));
    }

    static TransactionMetadata metadata(TransactionStatus status, Set<TopicPartition> partitions) {
        return new TransactionMetadata("tx", 100, -1, -1, (short) 3, (short) -1, 60_000, status, partitions,
                status == ONGOING ? 1_000 : -1, 1_000, (short) 1);
    }
}

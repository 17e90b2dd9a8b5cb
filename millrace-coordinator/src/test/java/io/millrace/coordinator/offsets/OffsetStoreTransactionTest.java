package io.millrace.coordinator.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.group.GroupCoordinatorShard;
import io.millrace.coordinator.group.GroupTypeConfigs;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * Offsets committed inside a transaction (records of a transactional producer), replayed into a
 * group coordinator shard as a load or a write replays them: pending until the producer's
 * marker, visible at COMMIT, gone at ABORT.
 */
class OffsetStoreTransactionTest {
    private static final long PRODUCER = 42L;
    private static final short EPOCH = 3;
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    private final GroupCoordinatorShard shard = new GroupCoordinatorShard(
            new CoordinatorShard.Context(0, new NoTimer(), Time.SYSTEM), GroupCoordinatorConfig.defaults(1),
            new NoTopics(), GroupTypeConfigs.defaults());

    private static CommittedOffset offset(long offset) {
        return new CommittedOffset(offset, -1, "", 1_000L, -1L);
    }

    @Test
    void aTransactionalOffsetCommitBecomesVisibleAtTheCommitMarker() {
        shard.replay(10, CoordinatorShard.NO_PRODUCER_ID, CoordinatorShard.NO_PRODUCER_EPOCH,
                OffsetRecords.commit("g", TP, offset(5)));
        shard.replay(11, PRODUCER, EPOCH, OffsetRecords.commit("g", TP, offset(9)));

        assertEquals(5, shard.offsets().get("g", TP).offset(), "pending until the transaction ends");
        assertTrue(shard.offsets().hasPendingTransactionalOffset("g", TP));

        shard.replayEndTransactionMarker(12, PRODUCER, EPOCH, TransactionMarker.COMMIT);

        assertEquals(9, shard.offsets().get("g", TP).offset());
        assertFalse(shard.offsets().hasPendingTransactionalOffset("g", TP));
    }

    @Test
    void aTransactionalOffsetCommitVanishesAtTheAbortMarker() {
        shard.replay(11, PRODUCER, EPOCH, OffsetRecords.commit("g", TP, offset(9)));

        assertNull(shard.offsets().get("g", TP));
        shard.replayEndTransactionMarker(12, PRODUCER, EPOCH, TransactionMarker.ABORT);

        assertNull(shard.offsets().get("g", TP));
        assertFalse(shard.offsets().hasOffsets("g"));
        assertFalse(shard.offsets().hasPendingTransactionalOffset("g", TP));
        // A later marker of the same producer finds nothing left to commit.
        shard.replayEndTransactionMarker(13, PRODUCER, EPOCH, TransactionMarker.COMMIT);
        assertNull(shard.offsets().get("g", TP));
    }

    @Test
    void aCommitLaterInTheLogWinsOverATransactionCommittedAfterIt() {
        shard.replay(11, PRODUCER, EPOCH, OffsetRecords.commit("g", TP, offset(9)));
        shard.replay(12, CoordinatorShard.NO_PRODUCER_ID, CoordinatorShard.NO_PRODUCER_EPOCH,
                OffsetRecords.commit("g", TP, offset(20)));
        shard.replayEndTransactionMarker(13, PRODUCER, EPOCH, TransactionMarker.COMMIT);

        assertEquals(20, shard.offsets().get("g", TP).offset());
    }

    private static final class NoTimer implements CoordinatorTimer {
        @Override
        public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
        }

        @Override
        public void cancel(String key) {
        }

        @Override
        public boolean isScheduled(String key) {
            return false;
        }
    }

    private static final class NoTopics implements TopicsView {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<TopicInfo> byId(Uuid id) {
            return Optional.empty();
        }

        @Override
        public Collection<TopicInfo> all() {
            return List.of();
        }
    }
}

package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogFollowerTest {
    private static final TopicPartition TP = new TopicPartition("replicated", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private final LogConfig config = TestConfigs.defaults().segmentBytes(500).build();
    private PartitionLog leader;
    private PartitionLog follower;

    @AfterEach
    void close() {
        for (PartitionLog log : new PartitionLog[] {leader, follower}) {
            if (log != null) {
                log.close();
            }
        }
    }

    private ByteBuffer readAll(PartitionLog log, long from) {
        return log.read(from, 1 << 20, Long.MAX_VALUE, true).records();
    }

    @Test
    void aFollowerCopiesTheLeadersBatchesByteForByte() {
        leader = PartitionLog.open(root.resolve("l"), TP, Uuid.ZERO_UUID, config, time, true);
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        for (int i = 0; i < 10; i++) {
            leader.appendAsLeader(Batches.idempotent(9, (short) 0, i * 3, 3, NOW), 2);
        }
        long next = 0;
        while (next < leader.logEndOffset()) {
            ByteBuffer chunk = leader.read(next, 400, Long.MAX_VALUE, true).records();
            AppendResult result = follower.appendAsFollower(chunk);
            next = result.lastOffset() + 1;
        }
        assertEquals(30, follower.logEndOffset());
        for (long offset = 0; offset < 30; offset += 3) {
            assertEquals(readAll(leader, offset), readAll(follower, offset));
        }
        assertThrows(InvalidRecordException.class, () -> follower.appendAsFollower(leader.read(0, 100, 30, true).records()));
    }

    @Test
    void truncationRemovesTheTailAndReloadsProducerState() {
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        for (int i = 0; i < 12; i++) {
            follower.appendAsLeader(Batches.idempotent(9, (short) 0, i * 3, 3, NOW), 0);
        }
        follower.updateHighWatermark(36);
        follower.truncateTo(15);
        assertEquals(15, follower.logEndOffset());
        assertEquals(15, follower.highWatermark());
        assertEquals(LongStream.range(0, 15).boxed().toList(), collect(follower));
        // The producer's state now ends at sequence 14: 15 follows, 36 does not.
        assertThrows(OutOfOrderSequenceException.class,
                () -> follower.appendAsLeader(Batches.idempotent(9, (short) 0, 36, 1, NOW), 0));
        assertEquals(15, follower.appendAsLeader(Batches.idempotent(9, (short) 0, 15, 1, NOW), 0).firstOffset());
        follower.close();
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        assertEquals(16, follower.logEndOffset());
        assertTrue(follower.appendAsLeader(Batches.idempotent(9, (short) 0, 15, 1, NOW), 0).duplicate());
    }

    @Test
    void aFollowerMayJumpFarAheadOfItsEmptySegment() {
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        long far = 3L * Integer.MAX_VALUE;
        ByteBuffer batch = io.millrace.wire.batch.KafkaRecords.batchBuilder().baseOffset(far)
                .add(NOW, "k", "v").add(NOW, "k", "w").build();
        assertEquals(far, follower.appendAsFollower(batch).firstOffset());
        assertEquals(far + 2, follower.logEndOffset());
        assertEquals(far, Batches.batchesIn(readAll(follower, far + 1)).get(0).baseOffset());
        assertEquals(far, Batches.batchesIn(readAll(follower, 5)).get(0).baseOffset());
        ByteBuffer next = io.millrace.wire.batch.KafkaRecords.batchBuilder().baseOffset(2 * far)
                .add(NOW, "k", "v").build();
        follower.appendAsFollower(next);
        assertEquals(2 * far + 1, follower.logEndOffset());
        follower.close();
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        assertEquals(2 * far + 1, follower.logEndOffset());
    }

    @Test
    void truncationBelowTheStartEmptiesTheLog() {
        follower = PartitionLog.open(root.resolve("f"), TP, Uuid.ZERO_UUID, config, time, true);
        for (int i = 0; i < 5; i++) {
            follower.appendAsLeader(Batches.records(3, NOW), 0);
        }
        follower.updateHighWatermark(15);
        follower.deleteRecordsBefore(9);
        follower.truncateTo(4);
        assertEquals(4, follower.logStartOffset());
        assertEquals(4, follower.logEndOffset());
        assertEquals(4, follower.appendAsLeader(Batches.records(1, NOW), 0).firstOffset());
    }

    private static List<Long> collect(PartitionLog log) {
        List<Long> all = new java.util.ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            List<Long> chunk = Batches.offsetsIn(log.read(next, 1 << 20, Long.MAX_VALUE, true).records());
            all.addAll(chunk);
            next = chunk.get(chunk.size() - 1) + 1;
        }
        return all;
    }
}

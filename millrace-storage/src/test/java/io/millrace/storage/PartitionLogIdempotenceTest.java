package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogIdempotenceTest {
    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final long PID = 4242;

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private final LogConfig config = TestConfigs.defaults().segmentBytes(600).build();
    private PartitionLog log;

    private PartitionLog open(Path dir, boolean clean) {
        log = PartitionLog.open(dir, TP, Uuid.ZERO_UUID, config, time, clean);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void aRetriedBatchIsStoredOnceAndReturnsItsOriginalOffsets() {
        open(root.resolve("p-0"), true);
        log.appendAsLeader(Batches.records(2, NOW), 0);
        AppendResult first = log.appendAsLeader(Batches.idempotent(PID, (short) 0, 0, 3, NOW), 0);
        assertEquals(2, first.firstOffset());
        assertEquals(4, first.lastOffset());
        log.appendAsLeader(Batches.idempotent(PID, (short) 0, 3, 2, NOW), 0);

        AppendResult retry = log.appendAsLeader(Batches.idempotent(PID, (short) 0, 0, 3, NOW), 0);
        assertTrue(retry.duplicate());
        assertEquals(2, retry.firstOffset());
        assertEquals(4, retry.lastOffset());
        assertEquals(0, retry.recordCount());
        assertEquals(7, log.logEndOffset());
    }

    @Test
    void anAppendMixingARetryWithNewBatchesWritesOnlyTheNewOnes() {
        open(root.resolve("p-0"), true);
        log.appendAsLeader(Batches.idempotent(PID, (short) 0, 0, 3, NOW), 0);
        AppendResult result = log.appendAsLeader(Batches.concat(Batches.idempotent(PID, (short) 0, 0, 3, NOW),
                Batches.idempotent(PID, (short) 0, 3, 2, NOW)), 0);
        assertFalse(result.duplicate());
        assertEquals(3, result.firstOffset());
        assertEquals(4, result.lastOffset());
        assertEquals(2, result.recordCount());
        assertEquals(5, log.logEndOffset());
    }

    @Test
    void aSequenceGapIsOutOfOrder() {
        open(root.resolve("p-0"), true);
        log.appendAsLeader(Batches.idempotent(PID, (short) 0, 0, 3, NOW), 0);
        assertThrows(OutOfOrderSequenceException.class,
                () -> log.appendAsLeader(Batches.idempotent(PID, (short) 0, 4, 1, NOW), 0));
        // A producer unknown here may start anywhere (its state may have expired), as in Kafka.
        assertEquals(3, log.appendAsLeader(Batches.idempotent(PID + 1, (short) 0, 1, 1, NOW), 0).firstOffset());
        assertEquals(4, log.logEndOffset());
    }

    @Test
    void anOlderEpochIsFenced() {
        open(root.resolve("p-0"), true);
        log.appendAsLeader(Batches.idempotent(PID, (short) 5, 0, 1, NOW), 0);
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendAsLeader(Batches.idempotent(PID, (short) 4, 1, 1, NOW), 0));
        assertFalse(log.appendAsLeader(Batches.idempotent(PID, (short) 6, 0, 1, NOW), 0).duplicate());
    }

    /** Appends enough batches to roll several segments (snapshots at each roll). */
    private int appendMany(int batches) {
        int seq = 0;
        for (int i = 0; i < batches; i++) {
            log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq, 2, NOW), 0);
            seq += 2;
        }
        return seq;
    }

    @Test
    void producerStateSurvivesACleanCloseAndReopen() {
        Path dir = root.resolve("p-0");
        open(dir, true);
        int seq = appendMany(20);
        long end = log.logEndOffset();
        log.close();

        open(dir, true);
        AppendResult retry = log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq - 2, 2, NOW), 0);
        assertTrue(retry.duplicate());
        assertEquals(end - 2, retry.firstOffset());
        assertThrows(OutOfOrderSequenceException.class,
                () -> log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq + 1, 1, NOW), 0));
        assertEquals(end, log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq, 1, NOW), 0).firstOffset());
    }

    @Test
    void producerStateSurvivesACrashByReplayingTheLogAfterTheLastSnapshot() throws Exception {
        Path dir = root.resolve("p-0");
        open(dir, true);
        int seq = appendMany(23);
        long end = log.logEndOffset();
        Path crashed = root.resolve("crashed").resolve("p-0");
        Batches.copyAsCrashed(dir, crashed);
        log.close();

        open(crashed, false);
        assertEquals(end, log.logEndOffset());
        assertTrue(log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq - 2, 2, NOW), 0).duplicate());
        assertEquals(end, log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq, 1, NOW), 0).firstOffset());
    }

    @Test
    void producerStateIsRebuiltFromTheLogWhenEverySnapshotIsGone() throws Exception {
        Path dir = root.resolve("p-0");
        open(dir, true);
        int seq = appendMany(10);
        log.close();
        for (long offset : ProducerStateSnapshotFile.list(dir)) {
            java.nio.file.Files.delete(SegmentFiles.snapshotFile(dir, offset));
        }
        open(dir, true);
        assertTrue(log.appendAsLeader(Batches.idempotent(PID, (short) 1, seq - 2, 2, NOW), 0).duplicate());
    }
}

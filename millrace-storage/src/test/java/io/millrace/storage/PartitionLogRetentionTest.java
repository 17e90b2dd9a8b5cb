package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogRetentionTest {
    private static final TopicPartition TP = new TopicPartition("logs", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(NOW);
    private PartitionLog log;

    private PartitionLog open(LogConfig config) {
        log = PartitionLog.open(dir, TP, Uuid.ZERO_UUID, config, time, true);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private List<Long> segmentBaseOffsets() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(f -> SegmentFiles.offsetOf(f.getFileName().toString(), SegmentFiles.LOG_SUFFIX))
                    .filter(o -> o.isPresent()).map(o -> o.getAsLong()).sorted().toList();
        }
    }

    /** Batches of 4 records; with segment.bytes 300 each segment holds two (offsets 8k..8k+7). */
    private void appendBatches(int batches, long timestamp) {
        for (int i = 0; i < batches; i++) {
            log.appendAsLeader(Batches.records(4, timestamp), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void timeRetentionDeletesOldSegmentsOldestFirstAndAdvancesTheStart() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).retention(60_000, -1).build());
        appendBatches(4, NOW - 30_000);      // segments 0 and 8: newest record at NOW - 29_997
        appendBatches(4, NOW);               // segments 16 and 24: fresh
        assertEquals(List.of(0L, 8L, 16L, 24L), segmentBaseOffsets());
        assertEquals(0, log.deleteExpiredSegments());
        time.advance(30_003);                // exactly retention.ms old: kept
        assertEquals(0, log.deleteExpiredSegments());
        time.advance(1);
        assertEquals(2, log.deleteExpiredSegments());
        assertEquals(List.of(16L, 24L), segmentBaseOffsets());
        assertEquals(16, log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(3, 1000, Long.MAX_VALUE, true));
        assertEquals(16, Batches.batchesIn(log.read(16, 1000, Long.MAX_VALUE, true).records()).get(0).baseOffset());
    }

    @Test
    void anExpiredActiveSegmentIsRolledThenDeleted() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).retention(60_000, -1).build());
        appendBatches(3, NOW);
        time.advance(120_000);
        assertEquals(2, log.deleteExpiredSegments());
        assertEquals(List.of(12L), segmentBaseOffsets());
        assertEquals(12, log.logStartOffset());
        assertEquals(12, log.logEndOffset());
        assertEquals(0, log.read(12, 1000, Long.MAX_VALUE, true).records().remaining());
        assertEquals(12, log.appendAsLeader(Batches.records(1, time.milliseconds()), 0).firstOffset());
    }

    @Test
    void sizeRetentionKeepsTheNewestRetentionBytes() throws Exception {
        int batchSize = Batches.records(4, NOW).remaining();
        open(TestConfigs.defaults().segmentBytes(300).retention(-1, 4L * batchSize).build());
        appendBatches(7, NOW);               // segments 0, 8, 16 (full) and 24 (one batch)
        assertEquals(List.of(0L, 8L, 16L, 24L), segmentBaseOffsets());
        assertEquals(1, log.deleteExpiredSegments()); // 7 batches -> 5: the 4-batch limit would cut a segment
        assertEquals(List.of(8L, 16L, 24L), segmentBaseOffsets());
        assertEquals(8, log.logStartOffset());
        assertEquals(0, log.deleteExpiredSegments());
    }

    @Test
    void nothingExpiresWithoutTheDeletePolicy() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).retention(0, 0).cleanup(false, true).build());
        appendBatches(5, NOW - 1_000_000);
        assertEquals(0, log.deleteExpiredSegments());
        assertEquals(0, log.logStartOffset());
    }

    @Test
    void deleteRecordsAdvancesTheStartDeletesWholeSegmentsBelowItAndPersists() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).build());
        appendBatches(6, NOW);               // segments 0, 8, 16
        assertEquals(10, log.deleteRecordsBefore(10));
        assertEquals(List.of(8L, 16L), segmentBaseOffsets());
        assertEquals(10, log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(9, 1000, Long.MAX_VALUE, true));
        // Offset 10 is inside the batch at 8: the whole batch comes back, clients skip the rest.
        assertEquals(8, Batches.batchesIn(log.read(10, 1000, Long.MAX_VALUE, true).records()).get(0).baseOffset());
        assertEquals(10, log.deleteRecordsBefore(5));
        log.close();

        open(TestConfigs.defaults().segmentBytes(300).build());
        assertEquals(10, log.logStartOffset());
        assertEquals(24, log.logEndOffset());
    }

    @Test
    void deleteRecordsBeyondTheHighWatermarkIsOutOfRange() {
        open(TestConfigs.defaults().build());
        appendBatches(2, NOW);
        log.updateHighWatermark(4);
        assertEquals(4, log.highWatermark());
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(5));
        assertEquals(4, log.deleteRecordsBefore(4));
    }

    @Test
    void deletingEveryRecordLeavesAnEmptyLogThatAcceptsAppends() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).build());
        appendBatches(3, NOW);
        assertEquals(12, log.deleteRecordsBefore(12));
        assertEquals(List.of(12L), segmentBaseOffsets());
        assertEquals(12, log.appendAsLeader(Batches.records(1, NOW), 0).firstOffset());
        assertTrue(Files.exists(dir.resolve(LogStartOffsetCheckpoint.FILE_NAME)));
    }
}

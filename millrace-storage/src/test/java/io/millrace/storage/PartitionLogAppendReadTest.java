package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogAppendReadTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(NOW);
    private PartitionLog log;

    private final Uuid topicId = Uuid.randomUuid();

    private PartitionLog open(LogConfig config) {
        log = PartitionLog.open(dir.resolve("orders-3"), TP, topicId, config, time, true);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private static List<Long> segmentBaseOffsets(Path partitionDir) throws Exception {
        try (var files = Files.list(partitionDir)) {
            return files.map(f -> SegmentFiles.offsetOf(f.getFileName().toString(), SegmentFiles.LOG_SUFFIX))
                    .filter(o -> o.isPresent()).map(o -> o.getAsLong()).sorted().toList();
        }
    }

    @Test
    void appendsAssignOffsetsAndReadsReturnThemAcrossSegmentRolls() throws Exception {
        open(TestConfigs.defaults().segmentBytes(1_000).index(100, 1024).build());
        long expected = 0;
        for (int i = 0; i < 50; i++) {
            int count = 1 + i % 4;
            AppendResult result = log.appendAsLeader(Batches.records(count, NOW + i), 7);
            assertEquals(expected, result.firstOffset());
            assertEquals(expected + count - 1, result.lastOffset());
            assertEquals(count, result.recordCount());
            assertFalse(result.duplicate());
            assertEquals(-1, result.logAppendTime());
            log.updateHighWatermark(log.logEndOffset());
            expected += count;
        }
        assertEquals(expected, log.logEndOffset());
        assertTrue(segmentBaseOffsets(log.dir()).size() > 3, "segments rolled");

        List<Long> seen = new java.util.ArrayList<>();
        long next = 0;
        while (next < log.logEndOffset()) {
            ReadResult read = log.read(next, 300, log.highWatermark(), true);
            for (Batches.BatchInfo batch : Batches.batchesIn(read.records())) {
                assertTrue(batch.crcValid());
                assertEquals(7, batch.leaderEpoch());
                next = batch.lastOffset() + 1;
            }
            seen.addAll(Batches.offsetsIn(read.records()));
        }
        assertEquals(LongStream.range(0, expected).boxed().toList(), seen);
    }

    @Test
    void aReadFromTheMiddleOfABatchReturnsThatWholeBatch() {
        open(TestConfigs.defaults().build());
        log.appendAsLeader(Batches.records(5, NOW), 0);
        log.appendAsLeader(Batches.records(5, NOW), 0);
        log.updateHighWatermark(log.logEndOffset());
        ReadResult read = log.read(7, 1 << 20, Long.MAX_VALUE, false);
        List<Batches.BatchInfo> batches = Batches.batchesIn(read.records());
        assertEquals(1, batches.size());
        assertEquals(5, batches.get(0).baseOffset());
        assertEquals(9, batches.get(0).lastOffset());
        assertEquals(10, read.logEndOffset());
        assertEquals(0, read.logStartOffset());
        assertEquals(10, read.highWatermark());
    }

    @Test
    void maxBytesLimitsToWholeBatchesButMinOneBatchReturnsTheFirstAnyway() {
        open(TestConfigs.defaults().build());
        int size = Batches.sized(100, NOW).remaining();
        for (int i = 0; i < 3; i++) {
            log.appendAsLeader(Batches.sized(100, NOW), 0);
        }
        assertEquals(2, Batches.batchesIn(log.read(0, 2 * size + 10, Long.MAX_VALUE, false).records()).size());
        assertEquals(0, log.read(0, size - 1, Long.MAX_VALUE, false).records().remaining());
        ReadResult one = log.read(0, 10, Long.MAX_VALUE, true);
        assertEquals(size, one.records().remaining());
    }

    @Test
    void readsStopBeforeBatchesAtOrAboveMaxOffsetExclusive() {
        open(TestConfigs.defaults().build());
        log.appendAsLeader(Batches.records(3, NOW), 0);
        log.appendAsLeader(Batches.records(3, NOW), 0);
        log.appendAsLeader(Batches.records(3, NOW), 0);
        List<Batches.BatchInfo> batches = Batches.batchesIn(log.read(0, 1 << 20, 6, false).records());
        assertEquals(List.of(0L, 3L), batches.stream().map(Batches.BatchInfo::baseOffset).toList());
        assertEquals(0, log.read(6, 1 << 20, 6, true).records().remaining());
        log.updateHighWatermark(3);
        assertEquals(1, Batches.batchesIn(log.read(1, 1 << 20, log.highWatermark(), true).records()).size());
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRangeAndTheEndIsEmpty() {
        open(TestConfigs.defaults().build());
        log.appendAsLeader(Batches.records(3, NOW), 0);
        assertEquals(0, log.read(3, 1000, Long.MAX_VALUE, true).records().remaining());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(4, 1000, Long.MAX_VALUE, true));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(-1, 1000, Long.MAX_VALUE, true));
    }

    @Test
    void logAppendTimeStampsEveryBatchAndKeepsTheCrcValid() {
        open(TestConfigs.defaults().timestamps(TimestampType.LOG_APPEND_TIME, Long.MAX_VALUE, Long.MAX_VALUE).build());
        for (BatchCompression codec : BatchCompression.values()) {
            AppendResult result = log.appendAsLeader(Batches.records(3, 5L, codec), 0);
            assertEquals(NOW, result.logAppendTime());
        }
        ByteBuffer records = log.read(0, 1 << 20, Long.MAX_VALUE, false).records();
        RecordBatchHeader header = new RecordBatchHeader();
        int batches = 0;
        for (int p = 0; p < records.limit(); p += header.sizeInBytes()) {
            header.wrap(records, p);
            assertEquals(TimestampType.LOG_APPEND_TIME, header.timestampType());
            assertEquals(NOW, header.maxTimestamp());
            assertTrue(header.isCrcValid());
            batches++;
        }
        assertEquals(BatchCompression.values().length, batches);
    }

    @Test
    void aBadBatchRejectsTheWholeAppend() {
        open(TestConfigs.defaults().build());
        ByteBuffer bad = Batches.records(2, NOW);
        bad.put(bad.limit() - 1, (byte) 0x11);
        assertThrows(CorruptRecordException.class,
                () -> log.appendAsLeader(Batches.concat(Batches.records(2, NOW), bad), 0));
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void aReadOnlyBufferIsCopiedNotRejected() {
        open(TestConfigs.defaults().build());
        AppendResult result = log.appendAsLeader(Batches.records(2, NOW).asReadOnlyBuffer(), 0);
        assertEquals(1, result.lastOffset());
    }

    @Test
    void rollsWhenTheIndexIsFull() throws Exception {
        // index.interval.bytes 0: an entry per batch after the first; 32-byte offset index holds 4.
        open(TestConfigs.defaults().index(0, 32).build());
        for (int i = 0; i < 12; i++) {
            log.appendAsLeader(Batches.records(1, NOW), 0);
        }
        assertTrue(segmentBaseOffsets(log.dir()).size() >= 3);
        assertEquals(LongStream.range(0, 12).boxed().toList(), readAll());
    }

    private List<Long> readAll() {
        List<Long> all = new java.util.ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            ByteBuffer records = log.read(next, 1 << 20, Long.MAX_VALUE, true).records();
            List<Long> offsets = Batches.offsetsIn(records);
            all.addAll(offsets.stream().filter(o -> o >= log.logStartOffset()).toList());
            next = offsets.get(offsets.size() - 1) + 1;
        }
        return all;
    }

    @Test
    void rollsByTimeMeasuredFromTheFirstBatchTimestamp() throws Exception {
        open(TestConfigs.defaults().segmentMs(60_000).build());
        log.appendAsLeader(Batches.records(1, NOW), 0);
        log.appendAsLeader(Batches.records(1, NOW + 60_000), 0);
        assertEquals(List.of(0L), segmentBaseOffsets(log.dir()));
        log.appendAsLeader(Batches.records(1, NOW + 60_001), 0);
        assertEquals(List.of(0L, 2L), segmentBaseOffsets(log.dir()));
    }

    @Test
    void writesPartitionMetadataWithTheTopicId() throws Exception {
        Uuid id = Uuid.randomUuid();
        log = PartitionLog.open(dir.resolve("orders-3"), TP, id, TestConfigs.defaults().build(), time, true);
        log.close();
        assertEquals(id, PartitionMetadataFile.read(dir.resolve("orders-3")).orElseThrow());
        log = PartitionLog.open(dir.resolve("orders-3"), TP, null, TestConfigs.defaults().build(), time, true);
        assertEquals(id, log.topicId());
        log.close();
        assertThrows(org.apache.kafka.common.errors.InconsistentTopicIdException.class,
                () -> PartitionLog.open(dir.resolve("orders-3"), TP, Uuid.randomUuid(), TestConfigs.defaults().build(),
                        time, true));
        log = null;
    }

    @Test
    void preallocatedSegmentsAreTrimmedOnCloseAndReopenCleanly() throws Exception {
        LogConfig config = TestConfigs.defaults().segmentBytes(64 * 1024).preallocate(true).build();
        open(config);
        log.appendAsLeader(Batches.records(3, NOW), 0);
        Path logFile = SegmentFiles.logFile(log.dir(), 0);
        assertEquals(64 * 1024, Files.size(logFile));
        log.close();
        assertTrue(Files.size(logFile) < 1024);
        open(config);
        assertEquals(3, log.logEndOffset());
        assertEquals(3, log.appendAsLeader(Batches.records(1, NOW), 0).firstOffset());
    }
}

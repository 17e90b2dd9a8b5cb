package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogRecoveryTest {
    private static final TopicPartition TP = new TopicPartition("events", 1);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private final LogConfig config = TestConfigs.defaults().segmentBytes(2_000).index(150, 1024).build();
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

    private List<Long> readAll() {
        List<Long> all = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            ByteBuffer records = log.read(next, 1 << 20, Long.MAX_VALUE, true).records();
            for (Batches.BatchInfo batch : Batches.batchesIn(records)) {
                assertTrue(batch.crcValid());
            }
            List<Long> offsets = Batches.offsetsIn(records);
            all.addAll(offsets);
            next = offsets.get(offsets.size() - 1) + 1;
        }
        return all;
    }

    /** A log of 40 batches of 3 records, copied as a crash would leave it. */
    private Path crashedLog() throws Exception {
        Path dir = root.resolve("live").resolve("events-1");
        open(dir, true);
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(Batches.records(3, NOW + i), 0);
        }
        Path crashed = root.resolve("crashed").resolve("events-1");
        Batches.copyAsCrashed(dir, crashed);
        log.close();
        log = null;
        return crashed;
    }

    private static Path activeSegment(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void anUncleanShutdownWithIntactFilesLosesNothing() throws Exception {
        Path crashed = crashedLog();
        open(crashed, false);
        assertEquals(120, log.logEndOffset());
        assertEquals(LongStream.range(0, 120).boxed().toList(), readAll());
    }

    @Test
    void aBatchCutShortIsDroppedAndAppendsContinueAfterTheLastGoodOne() throws Exception {
        Path crashed = crashedLog();
        Path active = activeSegment(crashed);
        long size = Files.size(active);
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
            channel.truncate(size - 10);
        }
        open(crashed, false);
        assertEquals(117, log.logEndOffset());
        assertEquals(LongStream.range(0, 117).boxed().toList(), readAll());
        assertEquals(117, log.appendAsLeader(Batches.records(2, NOW), 0).firstOffset());
        assertEquals(LongStream.range(0, 119).boxed().toList(), readAll());
    }

    @Test
    void garbageAfterTheLastBatchIsCutOff() throws Exception {
        Path crashed = crashedLog();
        Path active = activeSegment(crashed);
        long size = Files.size(active);
        byte[] garbage = new byte[300];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(active, garbage, StandardOpenOption.APPEND);
        open(crashed, false);
        assertEquals(120, log.logEndOffset());
        assertEquals(size, Files.size(active));
        assertEquals(120, log.appendAsLeader(Batches.records(1, NOW), 0).firstOffset());
    }

    @Test
    void aCorruptBatchInTheMiddleOfTheActiveSegmentCutsFromThere() throws Exception {
        Path crashed = crashedLog();
        Path active = activeSegment(crashed);
        long base = SegmentFiles.offsetOf(active.getFileName().toString(), SegmentFiles.LOG_SUFFIX).orElseThrow();
        byte[] bytes = Files.readAllBytes(active);
        int batchSize = Batches.records(3, NOW).remaining();
        bytes[batchSize + 70] ^= 0x40; // inside the second batch's records: CRC mismatch
        Files.write(active, bytes);
        open(crashed, false);
        assertEquals(base + 3, log.logEndOffset());
        assertEquals(LongStream.range(0, base + 3).boxed().toList(), readAll());
    }

    @Test
    void newerCheckpointsAndSnapshotsThanTheRecoveredEndAreDiscarded() throws Exception {
        Path crashed = crashedLog();
        LogStartOffsetCheckpoint.write(crashed, 500);
        ProducerStateSnapshotFile.write(SegmentFiles.snapshotFile(crashed, 900), List.of());
        open(crashed, false);
        assertEquals(0, log.logStartOffset());
        assertFalse(ProducerStateSnapshotFile.list(crashed).contains(900L));
        assertFalse(LogStartOffsetCheckpoint.read(crashed).isPresent());
    }

    @Test
    void missingIndexesAreRebuiltEvenAfterACleanShutdown() throws Exception {
        Path dir = root.resolve("events-1");
        open(dir, true);
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(Batches.records(3, NOW + i), 0);
        }
        log.close();
        Files.delete(SegmentFiles.indexFile(dir, 0));
        Files.delete(SegmentFiles.timeIndexFile(dir, 0));
        Path active = activeSegment(dir);
        Files.write(active.resolveSibling(active.getFileName().toString().replace(".log", ".index")),
                new byte[] {0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 9}); // non-increasing: implausible
        open(dir, true);
        log.updateHighWatermark(log.logEndOffset()); // as a single-replica leader does
        assertTrue(Files.size(SegmentFiles.indexFile(dir, 0)) > 0);
        assertEquals(LongStream.range(0, 120).boxed().toList(), readAll());
        assertEquals(new OffsetAndTimestamp(119, NOW + 41, 0), log.maxTimestamp().orElseThrow());
        // Batch 18 holds timestamps NOW+18..NOW+20 at offsets 54..56.
        assertEquals(new OffsetAndTimestamp(56, NOW + 20, 0), log.offsetForTimestamp(NOW + 20).orElseThrow());
    }

    @Test
    void leftoverTemporaryFilesAreRemoved() throws Exception {
        Path dir = root.resolve("events-1");
        open(dir, true);
        log.appendAsLeader(Batches.records(3, NOW), 0);
        log.close();
        Files.write(dir.resolve("00000000000000000123.snapshot.tmp"), new byte[10]);
        Files.write(dir.resolve("00000000000000000999.index"), new byte[16]);
        open(dir, true);
        assertFalse(Files.exists(dir.resolve("00000000000000000123.snapshot.tmp")));
        assertFalse(Files.exists(dir.resolve("00000000000000000999.index")));
    }
}

package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.FileRegion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartitionLog#readFileRegion}: the same batches as {@link PartitionLog#read}, left in the file. */
class PartitionLogFileRegionTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(NOW);
    private PartitionLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private void open(LogConfig config) {
        log = PartitionLog.open(dir.resolve("orders-0"), TP, Uuid.randomUuid(), config, time, true);
    }

    private static byte[] bytesOf(FileRegion region) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (region != null) {
            region.transferTo(Channels.newChannel(out));
        }
        return out.toByteArray();
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void regionsHoldExactlyTheBatchesACopyingReadReturns() throws Exception {
        open(TestConfigs.defaults().segmentBytes(1_000).index(100, 1024).build());
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(Batches.records(1 + i % 4, NOW + i), 0);
        }
        log.updateHighWatermark(log.logEndOffset() - 5);
        long hw = log.highWatermark();
        for (long offset = 0; offset < log.logEndOffset(); offset += 3) {
            for (int maxBytes : new int[] {0, 1, 90, 250, 700, 5_000}) {
                for (boolean minOneBatch : new boolean[] {true, false}) {
                    for (long maxOffset : new long[] {hw, Long.MAX_VALUE}) {
                        if (offset > hw && maxOffset == hw) {
                            continue;
                        }
                        ReadResult copied = log.read(offset, maxBytes, maxOffset, minOneBatch);
                        FileReadResult region = log.readFileRegion(offset, maxBytes, maxOffset, minOneBatch);
                        String what = "offset " + offset + ", maxBytes " + maxBytes + ", minOneBatch " + minOneBatch
                                + ", maxOffset " + maxOffset;
                        assertEquals(copied.records().remaining(), region.sizeInBytes(), what);
                        assertTrue(java.util.Arrays.equals(bytesOf(copied.records()), bytesOf(region.region())), what);
                        assertEquals(copied.highWatermark(), region.highWatermark());
                        assertEquals(copied.logStartOffset(), region.logStartOffset());
                    }
                }
            }
        }
        assertNull(log.readFileRegion(log.logEndOffset(), 100, Long.MAX_VALUE, true).region());
    }

    /**
     * The region's end comes from the offset index, then a short header scan: whatever the
     * index density (an entry for every batch, one every few, none at all) and batch sizes, it
     * must hold the same whole batches as a copying read.
     */
    @Test
    void regionsEndAtTheSameBatchWhateverTheIndexDensity() throws Exception {
        for (int interval : new int[] {1, 700, 4096, 1 << 30}) {
            Path logDir = dir.resolve("interval-" + interval);
            PartitionLog sparse = PartitionLog.open(logDir, TP, Uuid.randomUuid(),
                    TestConfigs.defaults().segmentBytes(64 * 1024).index(interval, 64 * 1024).build(), time, true);
            try {
                for (int i = 0; i < 120; i++) {
                    sparse.appendAsLeader(i % 5 == 0 ? Batches.sized(50 + 37 * i, NOW + i) : Batches.records(1 + i % 7, NOW + i), 0);
                }
                sparse.updateHighWatermark(sparse.logEndOffset() - 9);
                long hw = sparse.highWatermark();
                for (long offset = 0; offset < sparse.logEndOffset(); offset += 5) {
                    for (int maxBytes : new int[] {0, 60, 500, 2_000, 9_000, 40_000, Integer.MAX_VALUE}) {
                        for (long maxOffset : new long[] {hw, hw - 3, Long.MAX_VALUE}) {
                            if (offset >= maxOffset) {
                                continue;
                            }
                            String what = "interval " + interval + ", offset " + offset + ", maxBytes " + maxBytes
                                    + ", maxOffset " + maxOffset;
                            ReadResult copied = sparse.read(offset, maxBytes, maxOffset, true);
                            FileReadResult region = sparse.readFileRegion(offset, maxBytes, maxOffset, true);
                            assertTrue(java.util.Arrays.equals(bytesOf(copied.records()), bytesOf(region.region())), what);
                        }
                    }
                }
            } finally {
                sparse.close();
            }
        }
    }

    @Test
    void aRegionOfASegmentRetentionDeletedStaysReadableUntilTheDeleteDelayPasses() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).retention(60_000, -1).fileDeleteDelayMs(10_000).build());
        for (int i = 0; i < 8; i++) {
            log.appendAsLeader(Batches.records(4, NOW), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        FileReadResult before = log.readFileRegion(0, 10_000, Long.MAX_VALUE, true);
        byte[] expected = bytesOf(log.read(0, 10_000, Long.MAX_VALUE, true).records());

        time.advance(120_000);
        assertTrue(log.deleteExpiredSegments() > 0);
        Path segment0 = dir.resolve("orders-0").resolve(SegmentFiles.logFile(dir, 0).getFileName());
        assertFalse(Files.exists(segment0), "renamed away at once");
        assertTrue(Files.exists(segment0.resolveSibling(segment0.getFileName() + SegmentFiles.DELETED_SUFFIX)));
        assertTrue(java.util.Arrays.equals(expected, bytesOf(before.region())), "still readable within the delay");

        time.advance(10_000);
        log.deleteRetiredSegments();
        assertFalse(Files.exists(segment0.resolveSibling(segment0.getFileName() + SegmentFiles.DELETED_SUFFIX)));
        assertThrows(IOException.class, () -> bytesOf(before.region()), "closed after the delay");
    }

    @Test
    void aFollowersTruncationRetiresWholeSegmentsAndFailsRegionsPastTheCut() throws Exception {
        open(TestConfigs.defaults().segmentBytes(300).fileDeleteDelayMs(10_000).build());
        for (int i = 0; i < 8; i++) {
            log.appendAsLeader(Batches.records(4, NOW), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        java.util.List<LogSegment> segments = log.segmentSnapshot();
        assertTrue(segments.size() >= 3);
        long lastBase = segments.getLast().baseOffset();
        long cutSegmentBase = segments.get(segments.size() - 2).baseOffset();
        FileReadResult wholeSegment = log.readFileRegion(lastBase, 10_000, Long.MAX_VALUE, true);
        byte[] expected = bytesOf(log.read(lastBase, 10_000, Long.MAX_VALUE, true).records());
        FileReadResult pastTheCut = log.readFileRegion(cutSegmentBase, 10_000, Long.MAX_VALUE, true);
        assertTrue(pastTheCut.region().size() > Batches.records(4, NOW).remaining());

        log.truncateTo(cutSegmentBase + 4);
        assertEquals(cutSegmentBase + 4, log.logEndOffset());
        // A segment that left whole keeps its channel for file.delete.delay.ms: the send completes.
        assertTrue(java.util.Arrays.equals(expected, bytesOf(wholeSegment.region())));
        // The cut segment is shorter now: a region reaching past the cut fails, never sends other bytes.
        assertThrows(java.io.EOFException.class, () -> bytesOf(pastTheCut.region()));

        time.advance(10_000);
        log.deleteRetiredSegments();
        assertThrows(IOException.class, () -> bytesOf(wholeSegment.region()), "closed after the delay");
    }
}

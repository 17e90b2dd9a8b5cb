package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogConcurrencyTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsSeeOnlyWholeValidBatchesWhileAppendsRollAndRetentionDeletes() throws Exception {
        ManualTime time = new ManualTime(NOW);
        LogConfig config = TestConfigs.defaults().segmentBytes(2_000).retention(-1, 6_000).index(200, 1024).build();
        PartitionLog log = PartitionLog.open(dir, new TopicPartition("busy", 0), Uuid.ZERO_UUID, config, time, true);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    log.appendAsLeader(Batches.records(1 + i % 5, NOW), 0);
                    log.updateHighWatermark(log.logEndOffset());
                    if (i % 50 == 0) {
                        log.deleteExpiredSegments();
                    }
                }
                done.set(true);
                return null;
            });
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (!done.get()) {
                    long start = log.logStartOffset();
                    long end = log.highWatermark();
                    long offset = start + (end > start ? (reads * 7L) % (end - start) : 0);
                    try {
                        ByteBuffer records = log.read(offset, 1_000, end, true).records();
                        List<Batches.BatchInfo> batches = Batches.batchesIn(records);
                        if (offset < end) {
                            assertTrue(batches.get(0).baseOffset() <= offset && offset <= batches.get(0).lastOffset());
                        }
                        for (int i = 0; i < batches.size(); i++) {
                            assertTrue(batches.get(i).crcValid());
                            if (i > 0) {
                                assertEquals(batches.get(i - 1).lastOffset() + 1, batches.get(i).baseOffset());
                            }
                        }
                    } catch (OffsetOutOfRangeException e) {
                        // retention moved the start past our offset meanwhile
                    }
                    reads++;
                }
                return reads;
            });
            Future<?> flusher = pool.submit(() -> {
                while (!done.get()) {
                    log.flush();
                    log.offsetForTimestamp(NOW);
                }
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            assertTrue(reader.get(60, TimeUnit.SECONDS) > 0);
            flusher.get(60, TimeUnit.SECONDS);
            assertTrue(log.logStartOffset() > 0, "retention ran");
        } finally {
            pool.shutdownNow();
            log.close();
        }
    }
}

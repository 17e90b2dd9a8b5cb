package io.millrace.storage;

import static io.millrace.storage.CompactedLogFixture.HOUR;
import static io.millrace.storage.CompactedLogFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleaning while a writer appends (and retention runs) and readers read: nobody waits, nothing breaks. */
class LogCleanerConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void cleaningRunsBesideAppendsReadsAndRetention() throws Exception {
        LogConfig config = TestConfigs.defaults().segmentBytes(2_000).index(200, 1024).fileDeleteDelayMs(0)
                .compaction(true, HOUR, 0.2, 0, Long.MAX_VALUE).build();
        Map<String, String> lastWritten = new HashMap<>();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> writer = pool.submit(() -> {
                    for (int i = 0; i < 3_000; i++) {
                        String key = "k" + (i * 31 % 97);
                        String value = "v" + i;
                        KeyedRecords.append(f.log, KeyedRecords.batch(NOW + i, key, value));
                        lastWritten.put(key, value);
                        if (i % 100 == 0) {
                            f.log.deleteExpiredSegments();
                        }
                    }
                    done.set(true);
                    return null;
                });
                Future<Integer> cleanings = pool.submit(() -> {
                    int cleaned = 0;
                    while (!done.get()) {
                        if (f.cleaner.cleanOnce()) {
                            cleaned++;
                        }
                    }
                    return cleaned;
                });
                Future<Integer> reader = pool.submit(() -> {
                    int reads = 0;
                    while (!done.get()) {
                        long start = f.log.logStartOffset();
                        long end = f.log.highWatermark();
                        long offset = start + (end > start ? (reads * 13L) % (end - start) : 0);
                        try {
                            ByteBuffer records = f.log.read(offset, 1_500, end, true).records();
                            List<Batches.BatchInfo> batches = Batches.batchesIn(records);
                            for (int i = 0; i < batches.size(); i++) {
                                assertTrue(batches.get(i).crcValid());
                                if (i == 0 && offset < end) {
                                    assertTrue(batches.get(0).lastOffset() >= offset);
                                }
                                if (i > 0) {
                                    assertTrue(batches.get(i - 1).lastOffset() < batches.get(i).baseOffset());
                                }
                            }
                        } catch (OffsetOutOfRangeException e) {
                            // retention moved the start meanwhile
                        }
                        reads++;
                    }
                    return reads;
                });
                writer.get(60, TimeUnit.SECONDS);
                assertTrue(cleanings.get(60, TimeUnit.SECONDS) > 0, "the cleaner ran during the appends");
                assertTrue(reader.get(60, TimeUnit.SECONDS) > 0);
            } finally {
                pool.shutdownNow();
            }
            while (f.cleaner.cleanOnce()) {
                // finish what is dirty
            }
            List<KeyedRecords.Rec> records = KeyedRecords.records(f.log);
            for (KeyedRecords.Rec record : records) {
                assertEquals("v" + (record.timestamp() - NOW), record.value(), "offset " + record.offset());
            }
            assertEquals(lastWritten, KeyedRecords.latest(records), "the latest value of every key is there");
            assertTrue(records.size() < 600, "compaction kept the log small: " + records.size() + " records");
        }
    }
}

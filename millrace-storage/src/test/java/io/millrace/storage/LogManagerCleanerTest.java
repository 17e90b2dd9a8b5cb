package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "log-cleaner-N" threads LogManager owns compact logs in the background and stop cleanly. */
class LogManagerCleanerTest {
    @TempDir
    Path root;

    @Test
    void cleanerThreadsCompactInTheBackground() throws Exception {
        CleanerConfig cleaner = new CleanerConfig(true, 2, 4L * 1024 * 1024, 0.9, 256 * 1024, Double.MAX_VALUE, 20);
        LogConfig config = TestConfigs.defaults().segmentBytes(1024)
                .compaction(false, 60_000, 0.5, 0, Long.MAX_VALUE).build(); // file.delete.delay.ms stays 60 s
        TopicPartition tp = new TopicPartition("compacted", 0);
        long now = System.currentTimeMillis();
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000, cleaner)) {
            manager.startBackgroundTasks();
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("log-cleaner-1")));
            PartitionLog log = manager.getOrCreate(tp, Uuid.randomUuid(), config);
            for (int i = 0; i < 200; i++) {
                KeyedRecords.append(log, KeyedRecords.batch(now, "k" + (i % 5), "v" + i));
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (KeyedRecords.records(log).size() > 40) {
                assertTrue(System.nanoTime() < deadline, "compaction did not happen in 20 s");
                Thread.sleep(20);
            }
            assertEquals("v199", KeyedRecords.latest(KeyedRecords.records(log)).get("k4"));
        }
        try (Stream<Path> files = Files.list(root.resolve("compacted-0"))) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(SegmentFiles.DELETED_SUFFIX)),
                    "replaced segments still waiting for file.delete.delay.ms went at shutdown");
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("log-cleaner-")));
    }

    @Test
    void withoutCleanerSettingsThereIsNoCleaner() {
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            assertTrue(manager.cleaner().isEmpty());
        }
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000,
                new CleanerConfig(false, 1, 1024, 0.9, 1024, Double.MAX_VALUE, 15_000))) {
            assertTrue(manager.cleaner().isEmpty(), "log.cleaner.enable=false");
        }
    }

    @Test
    void readsTheBrokerSettings() {
        CleanerConfig config = CleanerConfig.from(io.millrace.common.config.BrokerConfig.fromProperties(
                java.util.Map.of("node.id", "1", "log.dirs", root.toString(), "log.cleaner.threads", "3",
                        "log.cleaner.io.max.bytes.per.second", "1000000")));
        assertEquals(new CleanerConfig(true, 3, 128L * 1024 * 1024, 0.9, 512 * 1024, 1_000_000, 15_000), config);
        assertEquals(CleanerConfig.defaults(), CleanerConfig.from(io.millrace.common.config.BrokerConfig.fromProperties(
                java.util.Map.of("node.id", "1", "log.dirs", root.toString()))));
    }
}

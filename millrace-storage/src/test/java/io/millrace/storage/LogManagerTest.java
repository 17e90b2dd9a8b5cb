package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestConfigs.defaults().build();

    @TempDir
    Path root;

    private LogManager manager(Path... dirs) {
        return new LogManager(List.of(dirs), Time.SYSTEM, 60_000);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void createsLogsInTheLeastLoadedDirAndLoadsThemBack() {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Uuid topicId = Uuid.randomUuid();
        try (LogManager manager = manager(a, b)) {
            for (int p = 0; p < 4; p++) {
                PartitionLog log = manager.getOrCreate(new TopicPartition("my-topic", p), topicId, CONFIG);
                log.appendAsLeader(Batches.records(p + 1, NOW), 0);
            }
            assertEquals(2, manager.all().stream().filter(l -> l.dir().getParent().equals(a)).count());
            assertEquals(2, manager.all().stream().filter(l -> l.dir().getParent().equals(b)).count());
            assertTrue(manager.getOrCreate(new TopicPartition("my-topic", 0), topicId, CONFIG)
                    == manager.get(new TopicPartition("my-topic", 0)).orElseThrow());
        }
        assertTrue(Files.exists(a.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)));
        assertTrue(Files.exists(b.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)));

        try (LogManager manager = manager(a, b)) {
            assertFalse(Files.exists(a.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)));
            var loaded = manager.loadAll(topic -> CONFIG);
            assertEquals(4, loaded.size());
            for (int p = 0; p < 4; p++) {
                PartitionLog log = manager.get(new TopicPartition("my-topic", p)).orElseThrow();
                assertEquals(p + 1, log.logEndOffset());
                assertEquals(topicId, log.topicId());
            }
        }
    }

    @Test
    void deleteRenamesTheDirectoryAndRemovesItInTheBackground() throws Exception {
        Path a = root.resolve("a");
        TopicPartition tp = new TopicPartition("doomed", 0);
        try (LogManager manager = manager(a)) {
            manager.getOrCreate(tp, Uuid.randomUuid(), CONFIG).appendAsLeader(Batches.records(3, NOW), 0);
            manager.delete(tp);
            assertTrue(manager.get(tp).isEmpty());
            assertFalse(Files.exists(a.resolve("doomed-0")));
            awaitTrue(() -> listNames(a).stream().noneMatch(n -> n.startsWith("doomed")), "the directory is gone");
            manager.delete(tp); // nothing to delete: no error
        }
    }

    @Test
    void aRestartFinishesPendingDeletionsAndIgnoresStrayDirectories() throws Exception {
        Path a = root.resolve("a");
        Files.createDirectories(a.resolve("t-0.0123456789abcdef-delete"));
        Files.write(a.resolve("t-0.0123456789abcdef-delete").resolve("00000000000000000000.log"), new byte[10]);
        Files.createDirectories(a.resolve("not_a_partition"));
        try (LogManager manager = manager(a)) {
            assertTrue(manager.loadAll(topic -> CONFIG).isEmpty());
            awaitTrue(() -> !Files.exists(a.resolve("t-0.0123456789abcdef-delete")), "the pending deletion finished");
        }
    }

    @Test
    void withoutTheCleanShutdownMarkerLogsAreRecovered() throws Exception {
        Path a = root.resolve("a");
        TopicPartition tp = new TopicPartition("t", 0);
        try (LogManager manager = manager(a)) {
            manager.getOrCreate(tp, Uuid.randomUuid(), CONFIG).appendAsLeader(Batches.records(3, NOW), 0);
        }
        Files.delete(a.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE));
        Files.write(SegmentFiles.logFile(a.resolve("t-0"), 0), new byte[] {0, 0, 0, 1, 2},
                java.nio.file.StandardOpenOption.APPEND);
        try (LogManager manager = manager(a)) {
            manager.loadAll(topic -> CONFIG);
            assertEquals(3, manager.get(tp).orElseThrow().logEndOffset());
        }
    }

    @Test
    void aLogDirectoryCannotBeOpenedTwice() {
        Path a = root.resolve("a");
        LogManager first = manager(a);
        try {
            assertThrows(KafkaStorageException.class, () -> manager(a));
        } finally {
            first.close();
        }
        manager(a).close(); // released on close
    }

    @Test
    void theRetentionThreadAppliesRetention() throws Exception {
        Path a = root.resolve("a");
        LogConfig config = TestConfigs.defaults().segmentBytes(300).retention(1, -1).build();
        try (LogManager manager = new LogManager(List.of(a), Time.SYSTEM, 20, 20)) {
            PartitionLog log = manager.getOrCreate(new TopicPartition("short-lived", 0), Uuid.randomUuid(), config);
            for (int i = 0; i < 5; i++) {
                log.appendAsLeader(Batches.records(4, System.currentTimeMillis() - 10_000), 0);
            }
            manager.startBackgroundTasks();
            awaitTrue(() -> log.logStartOffset() == 20, "retention deleted every old segment");
        }
        // the retired segments' deletion was still a minute away (file.delete.delay.ms): closing
        // deleted them rather than waiting for it
        assertTrue(listNames(a.resolve("short-lived-0")).stream().noneMatch(name -> name.endsWith(".deleted")),
                "retired segments left after close: " + listNames(a.resolve("short-lived-0")));
    }

    @Test
    void parsesPartitionDirectoryNames() {
        assertEquals(new TopicPartition("a-b-c", 12), LogManager.parsePartitionDirName("a-b-c-12").orElseThrow());
        assertTrue(LogManager.parsePartitionDirName("abc").isEmpty());
        assertTrue(LogManager.parsePartitionDirName("abc-").isEmpty());
        assertTrue(LogManager.parsePartitionDirName("abc-x").isEmpty());
        assertTrue(LogManager.parsePartitionDirName("-3").isEmpty());
    }

    private static Set<String> listNames(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryHighWatermarksTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestConfigs.defaults().build();
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

    @TempDir
    Path root;

    private Map<TopicPartition, Long> onDisk() throws Exception {
        return ReplicationOffsetCheckpointFile.read(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME))
                .orElseThrow();
    }

    @Test
    void writesOnlyWhenAHighWatermarkOrTheSetOfLogsChanged() throws Exception {
        DirectoryHighWatermarks store = DirectoryHighWatermarks.open(root);
        AtomicLong a = new AtomicLong(5);
        AtomicLong b = new AtomicLong(7);
        store.register(A, a::get);
        store.register(B, b::get);
        assertTrue(store.checkpoint());
        assertEquals(Map.of(A, 5L, B, 7L), onDisk());
        assertFalse(store.checkpoint()); // nothing changed: no write, no fsync
        a.set(6);
        assertTrue(store.checkpoint());
        assertEquals(Map.of(A, 6L, B, 7L), onDisk());
        store.unregister(B);
        assertTrue(store.checkpoint());
        assertEquals(Map.of(A, 6L), onDisk());
        assertEquals(OptionalLong.of(6), DirectoryHighWatermarks.open(root)
                .storeFor(A, root.resolve("t-0"), true).stored());
    }

    @Test
    void aNewDirectoryDoesNotTakeAStaleEntryOfItsName() throws Exception {
        ReplicationOffsetCheckpointFile.write(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME), Map.of(A, 9L));
        DirectoryHighWatermarks store = DirectoryHighWatermarks.open(root);
        assertEquals(OptionalLong.empty(), store.storeFor(A, root.resolve("t-0"), false).stored());
        assertEquals(OptionalLong.of(9), store.storeFor(A, root.resolve("t-0"), true).stored());
    }

    @Test
    void aDamagedFileIsIgnoredAndReplaced() throws Exception {
        Files.writeString(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME), "0\n3\nt 0 1\n");
        DirectoryHighWatermarks store = DirectoryHighWatermarks.open(root);
        assertEquals(OptionalLong.empty(), store.storeFor(A, root.resolve("t-0"), true).stored());
        store.register(A, () -> 2);
        assertTrue(store.checkpoint());
        assertEquals(Map.of(A, 2L), onDisk());
    }

    @Test
    void migratesPerPartitionFilesAndDeletesThemAfterTheFirstCheckpoint() throws Exception {
        Uuid topicId = Uuid.randomUuid();
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            for (TopicPartition tp : List.of(A, B)) {
                manager.getOrCreate(tp, topicId, CONFIG).appendAsLeader(Batches.records(10, NOW), 0);
            }
        }
        // What an older version left: a file per partition, none for the directory.
        Files.delete(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME));
        new HighWatermarkCheckpoint(root.resolve("t-0"), -1).write(() -> 4);
        new HighWatermarkCheckpoint(root.resolve("t-1"), -1).write(() -> 8);

        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            manager.loadAll(topic -> CONFIG);
            assertEquals(4, manager.get(A).orElseThrow().highWatermark());
            assertEquals(8, manager.get(B).orElseThrow().highWatermark());
            assertTrue(Files.exists(root.resolve("t-0").resolve(HighWatermarkCheckpoint.FILE_NAME)));
            manager.checkpointHighWatermarks();
            assertEquals(Map.of(A, 4L, B, 8L), onDisk());
            assertFalse(Files.exists(root.resolve("t-0").resolve(HighWatermarkCheckpoint.FILE_NAME)));
            assertFalse(Files.exists(root.resolve("t-1").resolve(HighWatermarkCheckpoint.FILE_NAME)));
            manager.get(A).orElseThrow().updateHighWatermark(10);
        }
        assertEquals(Map.of(A, 10L, B, 8L), onDisk()); // written on close
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            manager.loadAll(topic -> CONFIG);
            assertEquals(10, manager.get(A).orElseThrow().highWatermark());
            assertEquals(8, manager.get(B).orElseThrow().highWatermark());
        }
    }

    @Test
    void aTruncationBelowTheStoredHighWatermarkRewritesTheFileAtOnce() throws Exception {
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            PartitionLog log = manager.getOrCreate(A, Uuid.randomUuid(), CONFIG);
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(Batches.records(1, NOW), 0);
            }
            log.updateHighWatermark(10);
            manager.checkpointHighWatermarks();
            assertEquals(Map.of(A, 10L), onDisk());
            log.updateHighWatermark(3); // raised or lowered in memory only: no I/O
            assertEquals(Map.of(A, 10L), onDisk());
            log.truncateTo(6);
            assertEquals(Map.of(A, 3L), onDisk());
        }
    }

    @Test
    void creatingALogWritesNoLeaderEpochFileAndNoHighWatermarkFile() throws Exception {
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            PartitionLog log = manager.getOrCreate(A, Uuid.randomUuid(), CONFIG);
            assertFalse(Files.exists(log.dir().resolve(LeaderEpochCheckpointFile.FILE_NAME)));
            assertFalse(Files.exists(log.dir().resolve(HighWatermarkCheckpoint.FILE_NAME)));
            assertFalse(Files.exists(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME)));
            assertTrue(Files.exists(log.dir().resolve(PartitionMetadataFile.FILE_NAME)));
            log.assignEpochStartOffset(3, 0); // a new leader's epoch is written (and fsynced) at once
            assertTrue(Files.exists(log.dir().resolve(LeaderEpochCheckpointFile.FILE_NAME)));
            log.syncCreationFiles();
        }
        assertTrue(Files.exists(root.resolve(ReplicationOffsetCheckpointFile.FILE_NAME)));
    }

    @Test
    void aFirstEpochFileLostToAnOsCrashIsRebuiltFromTheBatches() throws Exception {
        Path epochFile;
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            PartitionLog log = manager.getOrCreate(A, Uuid.randomUuid(), CONFIG);
            log.assignEpochStartOffset(3, 0); // the file's first write: renamed into place, fsynced later
            log.appendAsLeader(Batches.records(2, NOW), 3);
            epochFile = log.dir().resolve(LeaderEpochCheckpointFile.FILE_NAME);
        }
        Files.write(epochFile, new byte[0]); // what an OS crash before that fsync may leave
        try (LogManager manager = new LogManager(List.of(root), Time.SYSTEM, 60_000)) {
            manager.loadAll(topic -> CONFIG);
            PartitionLog log = manager.get(A).orElseThrow();
            assertEquals(3, log.latestEpoch());
            assertEquals(2, log.logEndOffset());
        }
        assertEquals(List.of("0", "1", "3 0"), Files.readAllLines(epochFile));
    }
}

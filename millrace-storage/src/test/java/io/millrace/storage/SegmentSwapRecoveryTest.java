package io.millrace.storage;

import static io.millrace.storage.CompactedLogFixture.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at each step of a segment swap: the log loads with either the old segments or the
 * cleaned one, never both, never neither.
 */
class SegmentSwapRecoveryTest {
    private static final LogConfig CONFIG = CompactedLogFixture.onePerSegment()
            .compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();

    @TempDir
    Path root;
    private Path before;
    private Path after;
    private List<KeyedRecords.Rec> recordsBefore;
    private List<KeyedRecords.Rec> recordsAfter;

    @BeforeEach
    void cleanALogKeepingCopiesFromBeforeAndAfter() throws IOException {
        Path live = root.resolve("live");
        try (CompactedLogFixture f = new CompactedLogFixture(live, CONFIG)) {
            f.appendSpaced("a", "1", "b", "1", "a", "2", "b", "2", "c", "1", "a", "3", "d", "last-cleanable",
                    "x", "active");
            recordsBefore = KeyedRecords.records(f.log);
            f.reopen(); // a clean close seals the segments as a crash-free copy needs
            before = copy(live, "before");
            assertTrue(f.cleaner.cleanOnce());
            recordsAfter = KeyedRecords.records(f.log);
            f.reopen();
            after = copy(live, "after");
        }
        assertEquals(8, recordsBefore.size());
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), KeyedRecords.offsets(recordsAfter));
        assertTrue(Files.exists(after.resolve(SegmentFiles.name(0, ".log"))), "the cleaned segment starts at 0");
    }

    @Test
    void aCrashWhileWritingTheCleanedSegmentLeavesTheOldOnes() throws IOException {
        Path crashed = copy(before, "crashed");
        copySegmentFiles(after, 0, crashed, SegmentFiles.CLEANED_SUFFIX);
        assertEquals(recordsBefore, load(crashed));
        assertNoFileEndsWith(crashed, SegmentFiles.CLEANED_SUFFIX);
    }

    @Test
    void indexSwapFilesWithoutTheLogSwapFileAreDropped() throws IOException {
        Path crashed = copy(before, "crashed");
        Files.copy(SegmentFiles.indexFile(after, 0), swap(SegmentFiles.indexFile(crashed, 0)));
        assertEquals(recordsBefore, load(crashed));
        assertNoFileEndsWith(crashed, SegmentFiles.SWAP_SUFFIX);
    }

    @Test
    void aCrashOnceTheSwapFileExistsFinishesTheSwap() throws IOException {
        Path crashed = copy(before, "crashed");
        copySegmentFiles(after, 0, crashed, SegmentFiles.SWAP_SUFFIX);
        assertEquals(recordsAfter, load(crashed));
        assertNoFileEndsWith(crashed, SegmentFiles.SWAP_SUFFIX);
    }

    @Test
    void aCrashHalfwayThroughRenamingTheOldSegmentsFinishesTheSwap() throws IOException {
        Path crashed = copy(before, "crashed");
        copySegmentFiles(after, 0, crashed, SegmentFiles.SWAP_SUFFIX);
        for (long base : List.of(0L, 1L, 2L)) {
            Path log = SegmentFiles.logFile(crashed, base);
            Files.move(log, log.resolveSibling(log.getFileName() + SegmentFiles.DELETED_SUFFIX));
        }
        assertEquals(recordsAfter, load(crashed));
    }

    @Test
    void aCrashAfterTheIndexesTookTheirNamesButBeforeTheLogDidFinishesTheSwap() throws IOException {
        Path crashed = copy(before, "crashed");
        try (Stream<Path> files = Files.list(crashed)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean oldSegment = name.endsWith(".log") || name.endsWith(".index") || name.endsWith(".timeindex");
                if (oldSegment && SegmentFiles.offsetOf(name, name.substring(name.indexOf('.'))).orElse(99) < 7) {
                    Files.move(file, file.resolveSibling(name + SegmentFiles.DELETED_SUFFIX));
                }
            }
        }
        Files.copy(SegmentFiles.indexFile(after, 0), SegmentFiles.indexFile(crashed, 0));
        Files.copy(SegmentFiles.timeIndexFile(after, 0), SegmentFiles.timeIndexFile(crashed, 0));
        Files.copy(SegmentFiles.logFile(after, 0), swap(SegmentFiles.logFile(crashed, 0)));
        assertEquals(recordsAfter, load(crashed));
    }

    private static List<KeyedRecords.Rec> load(Path dir) {
        PartitionLog log = PartitionLog.open(dir, CompactedLogFixture.TP, Uuid.ZERO_UUID, CONFIG,
                new ManualTime(CompactedLogFixture.NOW), false);
        try {
            assertEquals(8, log.logEndOffset());
            return KeyedRecords.records(log);
        } finally {
            log.close();
        }
    }

    private static void copySegmentFiles(Path from, long base, Path to, String suffix) throws IOException {
        for (Path file : List.of(SegmentFiles.logFile(from, base), SegmentFiles.indexFile(from, base),
                SegmentFiles.timeIndexFile(from, base))) {
            Files.copy(file, to.resolve(file.getFileName() + suffix));
        }
    }

    private static Path swap(Path file) {
        return file.resolveSibling(file.getFileName() + SegmentFiles.SWAP_SUFFIX);
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = root.resolve(name);
        Batches.copyAsCrashed(from, to);
        return to;
    }

    private static void assertNoFileEndsWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(suffix)), "a *" + suffix + " file remains");
        }
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a run of segments by the cleaned segment made from them, so that a crash at any
 * moment leaves a log that loads with either the old segments or the new one, never both and
 * never neither.
 *
 * <p>The files go through three names. The cleaner writes {@code <base>.log.cleaned} (and
 * {@code .index.cleaned}, {@code .timeindex.cleaned}); a crash then leaves garbage, removed at
 * start. Once written and fsynced they are renamed {@code *.swap}, the log file last: from that
 * rename on, the swap is decided. Under the log's append lock the old segments' files are
 * renamed {@code *.deleted} and the swap files take their usual names, then the segment list
 * changes.
 *
 * <p>Recovery ({@link #recover}, when a log loads) finishes an interrupted swap: for each
 * {@code <base>.log.swap}, the offsets it covers are [base, the offset after its last batch);
 * every old segment starting in that range is deleted (those are exactly the segments it
 * replaced that still held records there; a replaced segment whose records were all dropped and
 * that starts after the new segment's last batch may survive, which is harmless: it holds valid
 * older records at their own offsets), then the swap files take their usual names. Index files
 * without a log swap file, and every {@code *.cleaned} file, are deleted.
 *
 * <p>Stateless.
 */
final class SegmentSwap {
    private static final Logger log = LoggerFactory.getLogger(SegmentSwap.class);
    private static final String LOG_SWAP = SegmentFiles.LOG_SUFFIX + SegmentFiles.SWAP_SUFFIX;

    private SegmentSwap() {
    }

    /** Makes a fully written and sealed cleaned segment ready to swap in: {@code *.cleaned} to {@code *.swap}. */
    static void prepare(LogSegment cleaned, Path dir) throws IOException {
        cleaned.renameFiles(SegmentFiles.SWAP_SUFFIX);
        syncDirectory(dir);
    }

    /**
     * Under the log's append lock, after checking the old segments are still the log's: renames
     * the old segments' files to {@code *.deleted}, the cleaned segment's to their usual names,
     * and puts the cleaned segment in the list in their place. The old segments stay open for
     * readers; the caller schedules their deletion.
     */
    static void commit(List<LogSegment> old, LogSegment cleaned, SegmentList segments) throws IOException {
        for (LogSegment segment : old) {
            segment.renameFiles(SegmentFiles.DELETED_SUFFIX);
        }
        cleaned.renameFiles("");
        segments.add(cleaned);
        for (LogSegment segment : old) {
            segments.remove(segment);
        }
    }

    /** Deletes a cleaned segment that will not be swapped in; quiet when the directory went meanwhile. */
    static void discard(LogSegment cleaned) {
        try {
            cleaned.deleteFiles();
        } catch (IOException e) {
            log.debug("Could not delete the unused cleaned segment {}: {}", cleaned.logFile(), e.toString());
        }
    }

    /** Finishes or removes whatever an interrupted cleaning left in {@code dir}; see the class comment. */
    static void recover(Path dir) throws IOException {
        List<Path> files;
        try (var stream = Files.list(dir)) {
            files = stream.toList();
        }
        List<Long> swaps = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.CLEANED_SUFFIX)) {
                Files.deleteIfExists(file);
            } else if (name.endsWith(LOG_SWAP)) {
                SegmentFiles.offsetOf(name.substring(0, name.length() - SegmentFiles.SWAP_SUFFIX.length()),
                        SegmentFiles.LOG_SUFFIX).ifPresent(swaps::add);
            }
        }
        for (long base : swaps) {
            finishSwap(dir, base, files);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.SWAP_SUFFIX) && Files.exists(file)) {
                Files.deleteIfExists(file); // index files whose log file never became a swap file
            }
        }
    }

    private static void finishSwap(Path dir, long base, List<Path> files) throws IOException {
        Path swapLog = swapped(SegmentFiles.logFile(dir, base));
        long end = nextOffsetOf(swapLog, base);
        List<Long> replaced = new ArrayList<>();
        for (Path file : files) {
            OptionalLong old = SegmentFiles.offsetOf(file.getFileName().toString(), SegmentFiles.LOG_SUFFIX);
            if (old.isPresent() && old.getAsLong() >= base && (old.getAsLong() < end || old.getAsLong() == base)) {
                replaced.add(old.getAsLong());
            }
        }
        for (long old : replaced) {
            Files.deleteIfExists(SegmentFiles.logFile(dir, old));
            Files.deleteIfExists(SegmentFiles.indexFile(dir, old));
            Files.deleteIfExists(SegmentFiles.timeIndexFile(dir, old));
            Files.deleteIfExists(SegmentFiles.txnIndexFile(dir, old)); // a cleaned segment has no aborted data
        }
        moveIfExists(swapped(SegmentFiles.indexFile(dir, base)), SegmentFiles.indexFile(dir, base));
        moveIfExists(swapped(SegmentFiles.timeIndexFile(dir, base)), SegmentFiles.timeIndexFile(dir, base));
        Files.move(swapLog, SegmentFiles.logFile(dir, base), StandardCopyOption.ATOMIC_MOVE);
        log.info("Finished swapping in the cleaned segment {} of {} (offsets {} to {}), interrupted by a crash; "
                + "it replaces {} older segment(s)", SegmentFiles.name(base, SegmentFiles.LOG_SUFFIX), dir.getFileName(),
                base, end - 1, replaced.size());
    }

    /** The offset after the last whole batch of a swap file, or {@code base} when it has none. */
    private static long nextOffsetOf(Path logFile, long base) throws IOException {
        long next = base;
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            FileBatchCursor cursor = new FileBatchCursor(channel, 0, channel.size());
            while (cursor.next() == FileBatchCursor.Step.BATCH) {
                next = Math.max(next, cursor.header().nextOffset());
            }
        }
        return next;
    }

    private static Path swapped(Path file) {
        return file.resolveSibling(file.getFileName() + SegmentFiles.SWAP_SUFFIX);
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(to); // the loader rebuilds a missing index
        }
    }

    /** fsyncs a directory so renames in it are durable (best effort where the platform cannot). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }
}

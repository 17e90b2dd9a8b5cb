package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the files of one partition directory into segments, recovering what needs it:
 * <ul>
 * <li>a segment swap the cleaner began is finished, and its unfinished work removed
 *     ({@link SegmentSwap#recover});</li>
 * <li>leftovers of interrupted operations ({@code *.tmp}, {@code *.deleted}, index files
 *     without a log file) are removed;</li>
 * <li>after an unclean shutdown the active (last) segment is checked batch by batch and cut at
 *     the first torn or corrupt batch (older segments were fsynced when they rolled);</li>
 * <li>any segment whose index files are missing or implausible is recovered the same way, even
 *     after a clean shutdown; if that cuts an older segment short, the segments after it are
 *     dropped, since the log cannot have a hole;</li>
 * <li>a log start offset checkpoint beyond the recovered end is discarded, and producer
 *     snapshots beyond it are discarded by {@link ProducerStateManager#load};</li>
 * <li>the leader epoch cache is read (or rebuilt from batch headers) and cut to the recovered
 *     end and the log start ({@link LeaderEpochCache#load});</li>
 * <li>the high watermark starts at min(its checkpoint, log end offset), at least the log
 *     start, or at the log end offset without a checkpoint ({@link HighWatermarkStore}).</li>
 * </ul>
 *
 * <p>Stateless; the caller owns the directory while it loads.
 */
final class LogLoader {
    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    /** What was loaded. */
    record Loaded(SegmentList segments, ProducerStateManager producers, long logStartOffset, long logEndOffset,
                  CleanerCheckpoint.State cleanerCheckpoint, LeaderEpochCache epochs, long highWatermark) {
    }

    private LogLoader() {
    }

    /** @param hwCheckpoint the high watermark stored for this log ({@link HighWatermarkStore#stored}) */
    static Loaded load(Path dir, TopicPartition partition, LogConfig config, long nowMs, boolean hadCleanShutdown,
                       OptionalLong hwCheckpoint) throws IOException {
        Files.createDirectories(dir);
        SegmentSwap.recover(dir);
        List<Long> baseOffsets = removeLeftoversAndListSegments(dir);
        OptionalLong checkpoint = LogStartOffsetCheckpoint.read(dir);
        CleanerCheckpoint.State cleaner = CleanerCheckpoint.read(dir).orElse(CleanerCheckpoint.State.NONE);
        SegmentList segments = new SegmentList();
        if (baseOffsets.isEmpty()) {
            long start = checkpoint.orElse(0);
            segments.add(LogSegment.create(dir, start, config, nowMs));
            ProducerStateManager producers = new ProducerStateManager(dir, partition);
            producers.load(segments, start);
            return complete(dir, partition, segments, producers, start, start, CleanerCheckpoint.State.NONE,
                    hwCheckpoint);
        }

        for (int i = 0; i < baseOffsets.size(); i++) {
            long base = baseOffsets.get(i);
            boolean last = i == baseOffsets.size() - 1;
            long upperBound = last ? Long.MAX_VALUE : baseOffsets.get(i + 1);
            boolean indexesPresent = LogSegment.indexFilesExist(dir, base);
            LogSegment segment = LogSegment.open(dir, base, config, nowMs);
            boolean indexesPlausible = indexesPresent && segment.offsetIndex().isConsistentWith(segment.size())
                    && segment.timeIndex().isConsistentWith(upperBound);
            segments.add(segment);
            boolean unclean = last && !hadCleanShutdown;
            if (unclean || !indexesPlausible) {
                String why = unclean ? "after an unclean shutdown" : "because its index files were missing or damaged";
                boolean cut = recover(segment, partition, config, last, why);
                if (cut && !last) {
                    dropSegmentsAfter(dir, baseOffsets.subList(i + 1, baseOffsets.size()), partition);
                    break;
                }
            }
        }
        LogSegment active = segments.active();
        active.resizeIndexes(config.segmentIndexBytes());
        long logEndOffset = active.nextOffset();
        long logStartOffset = segments.first().baseOffset();
        if (checkpoint.isPresent()) {
            if (checkpoint.getAsLong() <= logEndOffset) {
                logStartOffset = Math.max(logStartOffset, checkpoint.getAsLong());
            } else {
                log.warn("Ignoring the log start offset {} recorded for {}: the log now ends at offset {}",
                        checkpoint.getAsLong(), partition, logEndOffset);
                LogStartOffsetCheckpoint.delete(dir);
            }
        }
        ProducerStateManager producers = new ProducerStateManager(dir, partition);
        producers.load(segments, logEndOffset);
        return complete(dir, partition, segments, producers, logStartOffset, logEndOffset, cleaner, hwCheckpoint);
    }

    /** Loads the leader epoch cache and the high watermark once the bounds are known. */
    private static Loaded complete(Path dir, TopicPartition partition, SegmentList segments,
                                   ProducerStateManager producers, long logStartOffset, long logEndOffset,
                                   CleanerCheckpoint.State cleaner, OptionalLong hwCheckpoint) throws IOException {
        LeaderEpochCache epochs = LeaderEpochCache.load(dir, partition, segments, logStartOffset, logEndOffset);
        long highWatermark = hwCheckpoint.isPresent()
                ? Math.max(logStartOffset, Math.min(hwCheckpoint.getAsLong(), logEndOffset))
                : logEndOffset;
        return new Loaded(segments, producers, logStartOffset, logEndOffset, cleaner, epochs, highWatermark);
    }

    /** Recovers one segment; true when its file was cut short. */
    private static boolean recover(LogSegment segment, TopicPartition partition, LogConfig config, boolean active,
                                   String why) throws IOException {
        segment.resizeIndexes(config.segmentIndexBytes());
        SegmentRecovery.Result result = SegmentRecovery.recover(segment, true);
        if (!active) {
            segment.seal();
        }
        if (result.truncated() && result.zeroTail() && config.preallocate()) {
            log.info("Recovered {} {}: trimmed {} bytes of unused preallocated space from segment {} after its {} "
                    + "batches (offsets up to {})", partition, why, result.truncatedBytes(),
                    segment.logFile().getFileName(), result.batches(), result.nextOffset() - 1);
        } else if (result.truncated()) {
            log.warn("Recovered {} {}: cut segment {} at byte {} and dropped the {} bytes after it, because {}. "
                            + "The {} batch(es) before it (offsets up to {}) are intact.",
                    partition, why, segment.logFile().getFileName(), result.validBytes(), result.truncatedBytes(),
                    result.problem(), result.batches(), result.nextOffset() - 1);
        } else {
            log.info("Checked segment {} of {} {}: all {} batch(es) intact, indexes rebuilt",
                    segment.logFile().getFileName(), partition, why, result.batches());
        }
        return result.truncated();
    }

    private static void dropSegmentsAfter(Path dir, List<Long> laterBaseOffsets, TopicPartition partition)
            throws IOException {
        for (long base : laterBaseOffsets) {
            Path logFile = SegmentFiles.logFile(dir, base);
            log.warn("Dropped segment {} of {} ({} bytes): an earlier segment was cut short, and the log cannot "
                    + "continue after a gap", logFile.getFileName(), partition, Files.size(logFile));
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(SegmentFiles.indexFile(dir, base));
            Files.deleteIfExists(SegmentFiles.timeIndexFile(dir, base));
            Files.deleteIfExists(SegmentFiles.txnIndexFile(dir, base));
        }
    }

    /** Deletes leftovers of interrupted operations and returns the base offsets of the log files. */
    private static List<Long> removeLeftoversAndListSegments(Path dir) throws IOException {
        List<Path> files;
        try (var stream = Files.list(dir)) {
            files = stream.toList();
        }
        List<Long> baseOffsets = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(SegmentFiles.TMP_SUFFIX) || name.endsWith(SegmentFiles.DELETED_SUFFIX)) {
                Files.deleteIfExists(file);
                continue;
            }
            SegmentFiles.offsetOf(name, SegmentFiles.LOG_SUFFIX).ifPresent(baseOffsets::add);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            OptionalLong index = SegmentFiles.offsetOf(name, SegmentFiles.INDEX_SUFFIX);
            OptionalLong timeIndex = SegmentFiles.offsetOf(name, SegmentFiles.TIME_INDEX_SUFFIX);
            OptionalLong txnIndex = SegmentFiles.offsetOf(name, SegmentFiles.TXN_INDEX_SUFFIX);
            OptionalLong orphan = index.isPresent() ? index : timeIndex.isPresent() ? timeIndex : txnIndex;
            if (orphan.isPresent() && !baseOffsets.contains(orphan.getAsLong())) {
                Files.deleteIfExists(file);
            }
        }
        baseOffsets.sort(null);
        return baseOffsets;
    }
}

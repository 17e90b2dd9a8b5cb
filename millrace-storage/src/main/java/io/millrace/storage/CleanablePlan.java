package io.millrace.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What of one compacted log the cleaner may clean now, and whether it should: a pure function
 * of the segments, the cleaner checkpoint, the config and the clock ({@link #of}), tested
 * without files.
 *
 * <p>The log splits into three parts. The <em>clean</em> part, from the log start to the first
 * dirty offset (the cleaner checkpoint), has been cleaned before. The <em>dirty</em> part runs
 * from there to the first uncleanable offset: the base of the first segment, from the one holding
 * the first dirty offset on, that is the active segment, reaches the high watermark, or holds a
 * record newer than min.compaction.lag.ms (its largest timestamp). The rest is never touched.
 * The dirty ratio is dirty bytes / (clean + dirty bytes), counting whole segments (one holding
 * the first dirty offset counts as dirty).
 *
 * <p>A log needs cleaning when it has dirty bytes and either its dirty ratio reaches
 * min.cleanable.dirty.ratio or its oldest dirty record (the smallest first-batch timestamp of a
 * dirty segment) is older than max.compaction.lag.ms; failing that, when the delete horizon of a
 * kept tombstone or marker has passed ({@link #deleteHorizonDue}), so a cleaning can drop it.
 *
 * @param firstDirtyOffset       where the dirty part starts
 * @param firstUncleanableOffset where the cleanable part ends
 * @param cleanBytes             bytes of clean segments
 * @param dirtyBytes             bytes of dirty, cleanable segments
 * @param overdue                a dirty record is older than max.compaction.lag.ms
 * @param deleteHorizonDue       a kept tombstone or marker may now be removed
 */
record CleanablePlan(long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes, long dirtyBytes,
                     boolean overdue, boolean deleteHorizonDue) {

    /**
     * One segment as the planner sees it.
     *
     * @param baseOffset          its first offset
     * @param nextOffset          the next segment's base offset (the log end for the active one)
     * @param sizeBytes           its size
     * @param largestTimestamp    its largest record timestamp, or the file's modification time
     * @param firstBatchTimestamp its first batch's max timestamp, -1 when unknown
     */
    record SegmentView(long baseOffset, long nextOffset, long sizeBytes, long largestTimestamp,
                       long firstBatchTimestamp) {
    }

    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Dirty enough (or overdue) to clean for its dirty part. */
    boolean needsCleaning(LogConfig config) {
        return dirtyBytes > 0 && (overdue || dirtyRatio() >= config.minCleanableDirtyRatio());
    }

    /** Worth a cleaning to drop tombstones or markers whose delete horizon passed. */
    boolean deleteHorizonPassed() {
        return deleteHorizonDue && cleanBytes + dirtyBytes > 0;
    }

    /**
     * @param segments         oldest first, the active segment last
     * @param checkpoint       the cleaner checkpoint of the log
     * @param logStartOffset   the log start offset
     * @param highWatermark    the high watermark (nothing at or above it is cleaned)
     */
    static CleanablePlan of(List<SegmentView> segments, CleanerCheckpoint.State checkpoint, long logStartOffset,
                            long highWatermark, LogConfig config, long nowMs) {
        int nonActive = segments.size() - 1;
        long logEnd = segments.isEmpty() ? logStartOffset : segments.get(segments.size() - 1).nextOffset();
        long firstDirty = checkpoint.firstDirtyOffset();
        if (firstDirty < logStartOffset || firstDirty > logEnd) {
            firstDirty = logStartOffset; // never cleaned, or the log was truncated or moved past it
        }
        long firstUncleanable = nonActive >= 0 ? segments.get(nonActive).baseOffset() : logStartOffset;
        for (int i = 0; i < nonActive; i++) {
            SegmentView segment = segments.get(i);
            if (segment.nextOffset() <= firstDirty) {
                continue;
            }
            boolean tooNew = config.minCompactionLagMs() > 0
                    && segment.largestTimestamp() > nowMs - config.minCompactionLagMs();
            if (segment.nextOffset() > highWatermark || tooNew) {
                firstUncleanable = segment.baseOffset();
                break;
            }
        }
        firstUncleanable = Math.max(firstUncleanable, firstDirty);
        long clean = 0;
        long dirty = 0;
        long oldestDirty = Long.MAX_VALUE;
        for (int i = 0; i < nonActive; i++) {
            SegmentView segment = segments.get(i);
            if (segment.nextOffset() <= logStartOffset || segment.baseOffset() >= firstUncleanable) {
                continue;
            }
            if (segment.nextOffset() <= firstDirty) {
                clean += segment.sizeBytes();
            } else {
                dirty += segment.sizeBytes();
                if (segment.firstBatchTimestamp() >= 0) {
                    oldestDirty = Math.min(oldestDirty, segment.firstBatchTimestamp());
                }
            }
        }
        boolean overdue = config.maxCompactionLagMs() < Long.MAX_VALUE && oldestDirty != Long.MAX_VALUE
                && nowMs - oldestDirty > config.maxCompactionLagMs();
        boolean horizonDue = checkpoint.nextDeleteHorizonMs() >= 0 && nowMs >= checkpoint.nextDeleteHorizonMs();
        return new CleanablePlan(firstDirty, firstUncleanable, clean, dirty, overdue, horizonDue);
    }

    /**
     * Describes {@code segments} (oldest first) for {@link #of}. Reads the first batch header of
     * dirty segments once each (cached), and a file time for segments without timestamps.
     */
    static List<SegmentView> describe(List<LogSegment> segments, long logEndOffset, long firstDirtyOffset,
                                      boolean readFirstBatches) throws IOException {
        List<SegmentView> views = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            boolean active = i + 1 == segments.size();
            long next = active ? logEndOffset : segments.get(i + 1).baseOffset();
            long first = readFirstBatches && !active && next > firstDirtyOffset ? segment.firstBatchTimestamp() : -1;
            views.add(new SegmentView(segment.baseOffset(), next, segment.size(), segment.retentionTimestamp(), first));
        }
        return views;
    }
}

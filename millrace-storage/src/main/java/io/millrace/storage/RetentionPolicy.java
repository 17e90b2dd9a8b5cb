package io.millrace.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how many of a log's oldest segments may go: {@link #decide} is a pure function of the
 * segments, the config, the clock and the log start offset, so it is tested without files.
 *
 * <p>Whole segments only, oldest first. A segment goes when (retention.ms, with the delete
 * policy) its largest timestamp is more than retention.ms old; when (retention.bytes, with the
 * delete policy) the log would still hold at least retention.bytes without it and every older
 * segment; or (always, for DeleteRecords and follower truncation) when every offset in it is
 * below the log start offset. The last segment is included when non-empty: the log then rolls a
 * new active segment first (as Kafka does), so the active segment itself is never deleted but
 * expired data in it does not wait for a size- or time-based roll.
 *
 * <p>Stateless and thread-safe.
 */
final class RetentionPolicy {

    enum Reason {
        RETENTION_MS("older than retention.ms"),
        RETENTION_BYTES("beyond retention.bytes"),
        LOG_START_OFFSET("below the log start offset"),
        TRUNCATION("at or above a follower's truncation offset");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /**
     * One segment as retention sees it.
     *
     * @param baseOffset       its first offset
     * @param nextOffset       the offset after its last (the next segment's base, or the log end)
     * @param sizeBytes        its size
     * @param largestTimestamp its largest record timestamp
     */
    record SegmentInfo(long baseOffset, long nextOffset, long sizeBytes, long largestTimestamp) {
    }

    /** How many of the oldest segments to delete, and the rule that decided it. */
    record Decision(int count, Reason reason) {
        static final Decision NONE = new Decision(0, null);
    }

    private RetentionPolicy() {
    }

    /** {@code segments} oldest first, the active one last. */
    static Decision decide(List<SegmentInfo> segments, LogConfig config, long nowMs, long logStartOffset) {
        int candidates = segments.size();
        if (candidates > 0 && segments.get(candidates - 1).sizeBytes() == 0) {
            candidates--;
        }
        Decision decision = Decision.NONE;
        if (config.delete() && config.retentionMs() >= 0) {
            int count = 0;
            while (count < candidates && nowMs - segments.get(count).largestTimestamp() > config.retentionMs()) {
                count++;
            }
            decision = better(decision, count, Reason.RETENTION_MS);
        }
        if (config.delete() && config.retentionBytes() >= 0) {
            long excess = -config.retentionBytes();
            for (SegmentInfo segment : segments) {
                excess += segment.sizeBytes();
            }
            int count = 0;
            while (count < candidates && excess - segments.get(count).sizeBytes() >= 0) {
                excess -= segments.get(count).sizeBytes();
                count++;
            }
            decision = better(decision, count, Reason.RETENTION_BYTES);
        }
        return better(decision, belowLogStart(segments, logStartOffset).count(), Reason.LOG_START_OFFSET);
    }

    /** Only the log-start-offset rule (DeleteRecords): the segments holding no offset at or above it. */
    static Decision belowLogStart(List<SegmentInfo> segments, long logStartOffset) {
        int candidates = segments.size();
        if (candidates > 0 && segments.get(candidates - 1).sizeBytes() == 0) {
            candidates--;
        }
        int count = 0;
        while (count < candidates && segments.get(count).nextOffset() <= logStartOffset) {
            count++;
        }
        return count == 0 ? Decision.NONE : new Decision(count, Reason.LOG_START_OFFSET);
    }

    /**
     * Describes {@code segments} (oldest first) for {@link #decide}; reading timestamps may touch
     * the file system (a segment without timestamps uses its file's modification time).
     */
    static List<SegmentInfo> describe(List<LogSegment> segments, long logEndOffset, boolean withTimestamps)
            throws IOException {
        List<SegmentInfo> infos = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : logEndOffset;
            infos.add(new SegmentInfo(segment.baseOffset(), next, segment.size(),
                    withTimestamps ? segment.retentionTimestamp() : Long.MAX_VALUE));
        }
        return infos;
    }

    private static Decision better(Decision current, int count, Reason reason) {
        return count > current.count() ? new Decision(count, reason) : current;
    }
}

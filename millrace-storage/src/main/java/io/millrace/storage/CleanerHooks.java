package io.millrace.storage;

import io.millrace.common.Time;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What the log cleaner ({@link LogCleaning}) needs of one {@link PartitionLog} beyond reading
 * it: where the last cleaning stopped, how many truncations happened (so a cleaning that raced
 * with one is dropped), the producers' last batches (kept by compaction), and the swap of
 * cleaned segments into the log under its append lock. Thread-safe.
 */
final class CleanerHooks {
    private final PartitionLog log;
    private final AppendLock lock;
    private final SegmentList segments;
    private final LogOffsets offsets;
    private final ProducerStateManager producers;
    private final CleanerCheckpoint checkpoint;
    private final Time time;

    CleanerHooks(PartitionLog log, Time time, AppendLock lock, SegmentList segments, LogOffsets offsets,
                 ProducerStateManager producers, CleanerCheckpoint checkpoint) {
        this.log = log;
        this.lock = lock;
        this.segments = segments;
        this.offsets = offsets;
        this.producers = producers;
        this.checkpoint = checkpoint;
        this.time = time;
    }

    CleanerCheckpoint.State checkpoint() {
        return checkpoint.state();
    }

    long truncations() {
        return offsets.truncations();
    }

    /** For each idempotent producer, the last offset of the last batch it wrote here. */
    Map<Long, Long> lastBatchOffsetByProducer() {
        return lock.call("read the producer state of", () -> producers.table().lastBatchOffsets());
    }

    /**
     * Swaps a cleaned segment in for the run of segments it was made from ({@link SegmentSwap}),
     * provided they are still this log's and none is the active segment (retention, DeleteRecords
     * or truncation may have changed them during the cleaning); schedules the old ones'
     * deletion after file.delete.delay.ms. Returns false, changing nothing, when the log moved on.
     */
    boolean replaceSegments(List<LogSegment> old, LogSegment cleaned, PendingSegmentDeletions deletions) {
        return lock.whileOpen("swap cleaned segments into", false, () -> {
            LogSegment active = segments.active();
            for (LogSegment segment : old) {
                if (segment == active || segments.floor(segment.baseOffset()) != segment) {
                    return false;
                }
            }
            SegmentSwap.commit(old, cleaned, segments);
            deletions.schedule(old, time.milliseconds() + log.config().fileDeleteDelayMs());
            return true;
        });
    }

    /**
     * Records where a cleaning stopped, unless the log was truncated since it began
     * ({@code truncationsAtStart} differs) or now ends before it. The file is written (fsync)
     * outside the append lock.
     */
    void commitCheckpoint(CleanerCheckpoint.State state, long truncationsAtStart) {
        boolean changed = lock.call("record the cleaner checkpoint of", () -> {
            if (offsets.truncations() != truncationsAtStart || state.firstDirtyOffset() > offsets.logEnd()) {
                return false;
            }
            checkpoint.set(state);
            return true;
        });
        if (changed) {
            try {
                checkpoint.persist();
            } catch (IOException e) {
                throw lock.storageError("write the cleaner checkpoint of", e);
            }
        }
    }
}

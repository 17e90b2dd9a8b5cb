package io.millrace.storage;

/**
 * The offsets a log publishes: where it starts and ends, its high watermark, and its first
 * unstable offset (the oldest transaction still open or whose marker is not yet below the high
 * watermark, from the {@link ProducerStateTable}), from which the last stable offset follows;
 * and how many truncations it went through (the cleaner checks its checkpoint still holds).
 * Shared by {@link PartitionLog} and {@link LogWrites}.
 *
 * <p>Thread-safety: changed only under the log's append lock; read by any thread without a lock
 * (volatile fields). A reader may combine values of two moments; the last stable offset then
 * comes out lower than it could, never higher.
 */
final class LogOffsets {
    private final ProducerStateTable producers;
    private volatile long logStart;
    private volatile long logEnd;
    private volatile long highWatermark;
    private volatile long firstUnstable = Long.MAX_VALUE;
    private volatile long truncations;

    LogOffsets(long logStart, long logEnd, long highWatermark, ProducerStateTable producers) {
        this.producers = producers;
        this.logStart = logStart;
        this.logEnd = logEnd;
        this.highWatermark = highWatermark;
        refreshStability();
    }

    long logStart() {
        return logStart;
    }

    long logEnd() {
        return logEnd;
    }

    long highWatermark() {
        return highWatermark;
    }

    /** max(log start, min(high watermark, first unstable offset)). */
    long lastStable() {
        return Math.max(logStart, Math.min(firstUnstable, highWatermark));
    }

    long truncations() {
        return truncations;
    }

    /** Under the append lock. */
    void setLogStart(long offset) {
        logStart = offset;
    }

    /** Under the append lock; call {@link #refreshStability} once the producer state has the new batches. */
    void setLogEnd(long offset) {
        logEnd = offset;
    }

    /** Under the append lock: transactions whose marker the new high watermark passed become stable. */
    void setHighWatermark(long offset) {
        highWatermark = offset;
        refreshStability();
    }

    /** Under the append lock: a truncation happened. */
    void countTruncation() {
        truncations++;
    }

    /** Under the append lock: publishes the producer state's first unstable offset at the current high watermark. */
    void refreshStability() {
        producers.onHighWatermark(highWatermark);
        firstUnstable = producers.firstUnstableOffset();
    }
}

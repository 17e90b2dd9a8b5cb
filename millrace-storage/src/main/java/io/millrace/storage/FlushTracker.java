package io.millrace.storage;

/**
 * The flush policy's bookkeeping for one log: the recovery point (every offset below it is
 * fsynced) and when the oldest unflushed append happened. A flush is due when flush.messages
 * offsets are unflushed or the oldest unflushed append is flush.ms old.
 *
 * <p>Thread-safety: fields are volatile so {@link #isDue} may be asked from any thread;
 * updates come under the log's append lock.
 */
final class FlushTracker {
    private volatile long recoveryPoint;
    private volatile long firstUnflushedMs = -1;

    FlushTracker(long recoveryPoint) {
        this.recoveryPoint = recoveryPoint;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    boolean isDue(long logEndOffset, LogConfig config, long nowMs) {
        long unflushed = logEndOffset - recoveryPoint;
        if (unflushed <= 0) {
            return false;
        }
        long first = firstUnflushedMs;
        return unflushed >= config.flushIntervalMessages()
                || (first >= 0 && nowMs - first >= config.flushIntervalMs());
    }

    void onAppend(long nowMs) {
        if (firstUnflushedMs < 0) {
            firstUnflushedMs = nowMs;
        }
    }

    /** Everything below {@code flushedTo} is durable; later appends (up to the log end) are not. */
    void onFlushed(long flushedTo, long logEndOffset, long nowMs) {
        recoveryPoint = Math.min(flushedTo, logEndOffset);
        firstUnflushedMs = logEndOffset > recoveryPoint ? nowMs : -1;
    }

    void onTruncated(long logEndOffset) {
        recoveryPoint = Math.min(recoveryPoint, logEndOffset);
    }
}

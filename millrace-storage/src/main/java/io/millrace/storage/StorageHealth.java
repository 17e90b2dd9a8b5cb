package io.millrace.storage;

import io.millrace.common.Time;

/**
 * Whether this node's logs can be written: every failed log operation (a full disk fails every
 * append) is reported here, and the node counts as failing until {@link #RECOVERY_MS} pass
 * without a failure. The broker tells the controller, which moves its leadership away while it
 * fails (Kafka takes a failed log directory offline); followers keep fetching, so their appends
 * keep failing until space returns and then succeed, which ends the failure. Thread-safe.
 */
public final class StorageHealth {
    /** How long without a failed write before the logs count as writable again. */
    public static final long RECOVERY_MS = 2_000;

    /** For logs nobody watches (tools, benchmarks, unit tests). */
    static final StorageHealth UNWATCHED = new StorageHealth(Time.SYSTEM);

    private final Time time;
    private volatile long lastFailureMs = Long.MIN_VALUE;

    public StorageHealth(Time time) {
        this.time = time;
    }

    void failed() {
        lastFailureMs = time.milliseconds();
    }

    /** Whether a log operation failed within the last {@link #RECOVERY_MS}. */
    public boolean failing() {
        long last = lastFailureMs;
        return last != Long.MIN_VALUE && time.milliseconds() - last < RECOVERY_MS;
    }
}

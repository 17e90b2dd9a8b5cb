package io.millrace.server.quota;

import io.millrace.common.Time;

/**
 * The controller mutation quota (KIP-599) of one CreateTopics, CreatePartitions or DeleteTopics
 * request. Strict (the versions that know THROTTLING_QUOTA_EXCEEDED): a topic is refused while
 * {@link #exhausted} (the client's token bucket is below zero), and a topic admitted may take the
 * bucket below zero. Permissive (older versions): every topic goes ahead and the request is
 * throttled once the bucket is below zero. {@link #throttleMs} is the time until the bucket is
 * back at zero, as of now.
 *
 * <p>Thread-safe: a handler may record from the thread completing the controller's reply; the
 * bucket it shares with the client's other requests is locked.
 */
public final class MutationQuota {
    /** No quota applies. */
    public static final MutationQuota UNLIMITED = new MutationQuota(null, 0, false, Time.SYSTEM);

    private final TokenBucket bucket;
    private final double rate;
    private final boolean strict;
    private final Time time;
    private long throttleMs;
    private long throttledAtMs;

    MutationQuota(TokenBucket bucket, double rate, boolean strict, Time time) {
        this.bucket = bucket;
        this.rate = rate;
        this.strict = strict;
        this.time = time;
    }

    /** Strict only: whether the next topic must be refused with THROTTLING_QUOTA_EXCEEDED. */
    public synchronized boolean exhausted() {
        if (bucket == null || !strict) {
            return false;
        }
        synchronized (bucket) {
            long now = time.milliseconds();
            long wait = bucket.throttleMs(rate, now);
            if (wait > 0) {
                throttleMs = wait;
                throttledAtMs = now;
                return true;
            }
            return false;
        }
    }

    /** Counts {@code partitions} partitions created or deleted. */
    public synchronized void record(int partitions) {
        if (bucket == null || partitions <= 0) {
            return;
        }
        synchronized (bucket) {
            long now = time.milliseconds();
            bucket.take(partitions, rate, now);
            long wait = strict ? 0 : bucket.throttleMs(rate, now);
            if (wait > 0) {
                throttleMs = wait;
                throttledAtMs = now;
            }
        }
    }

    /** The throttle time this request earned, less the time since it was measured; 0 for none. */
    public synchronized int throttleMs() {
        if (throttleMs == 0) {
            return 0;
        }
        return (int) Math.max(0, throttleMs - (time.milliseconds() - throttledAtMs));
    }
}

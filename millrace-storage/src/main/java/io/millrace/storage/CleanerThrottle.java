package io.millrace.storage;

import io.millrace.common.Time;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Holds the cleaner threads together to log.cleaner.io.max.bytes.per.second of reads plus
 * writes: a token bucket refilled at that rate and holding at most one second of tokens. A
 * thread takes tokens for the bytes it just moved; when the bucket is in debt it waits until the
 * debt is paid back. An unlimited rate (infinite, or Double.MAX_VALUE as Kafka's default) never
 * waits.
 *
 * <p>Thread-safe: shared by every cleaner thread.
 */
final class CleanerThrottle {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_PARK_NANOS = 100_000_000L;

    private final double bytesPerSecond;
    private final Time time;
    private final boolean unlimited;
    private double tokens;
    private long lastRefillNanos;

    CleanerThrottle(double bytesPerSecond, Time time) {
        this.bytesPerSecond = bytesPerSecond;
        this.time = time;
        this.unlimited = Double.isInfinite(bytesPerSecond) || bytesPerSecond >= Double.MAX_VALUE / 2
                || bytesPerSecond <= 0;
        this.tokens = unlimited ? 0 : bytesPerSecond;
        this.lastRefillNanos = time.nanoseconds();
    }

    boolean unlimited() {
        return unlimited;
    }

    /** Takes tokens for {@code bytes} and returns how long the caller must wait, in nanoseconds (0 for none). */
    synchronized long reserve(long bytes) {
        if (unlimited || bytes <= 0) {
            return 0;
        }
        long now = time.nanoseconds();
        tokens = Math.min(bytesPerSecond, tokens + (now - lastRefillNanos) * bytesPerSecond / NANOS_PER_SECOND);
        lastRefillNanos = now;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }

    /**
     * Takes tokens for {@code bytes}, parking the calling thread while the bucket is in debt, in
     * slices so that {@code stopping} cuts a long wait short.
     */
    void acquire(long bytes, BooleanSupplier stopping) {
        long waitNanos = reserve(bytes);
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0 && !stopping.getAsBoolean()) {
            LockSupport.parkNanos(this, Math.min(waitNanos, MAX_PARK_NANOS));
            waitNanos = deadline - System.nanoTime();
        }
    }
}

package io.millrace.server.quota;

/**
 * KIP-599's token bucket for controller mutations: refilled at the quota's rate per second up to
 * a burst of {@code quota * samples * window seconds}, full at first; a mutation takes its
 * partitions' worth of tokens and may leave the bucket below zero, which is when the quota is
 * exceeded, for {@code -tokens / quota} seconds.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class TokenBucket {
    private final QuotaWindows windows;
    private double tokens = Double.NaN;
    private long lastUpdateMs;

    TokenBucket(QuotaWindows windows) {
        this.windows = windows;
    }

    /** The tokens left at {@code nowMs} for a quota of {@code rate} per second. */
    double tokens(double rate, long nowMs) {
        double burst = windows.samples() * (windows.windowMs() / 1000.0) * rate;
        if (Double.isNaN(tokens)) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + rate * Math.max(0, nowMs - lastUpdateMs) / 1000.0);
        }
        lastUpdateMs = nowMs;
        return tokens;
    }

    void take(double permits, double rate, long nowMs) {
        tokens(rate, nowMs);
        tokens -= permits;
    }

    /** How long until the bucket is back at zero, 0 when it is not below. */
    long throttleMs(double rate, long nowMs) {
        double left = tokens(rate, nowMs);
        return left >= 0 ? 0 : Math.round(-left / rate * 1000);
    }

    long lastUpdateMs() {
        return lastUpdateMs;
    }
}

package io.millrace.server.quota;

/**
 * A rate measured as Kafka's {@code Rate} over a windowed sum: values are added to the current
 * sample, which is replaced by a new one once it is {@code windowMs} old (reusing the oldest of the
 * {@code samples} slots); a sample that started {@code samples * windowMs} ago is forgotten; the rate is the sum of the samples kept divided by
 * the time they cover, which is never taken as less than {@code samples - 1} whole windows (so a
 * fresh rate is not inflated by a short history).
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class SampledRate {
    private final QuotaWindows windows;
    private final Sample[] ring;
    private int current;
    private int used;

    SampledRate(QuotaWindows windows) {
        this.windows = windows;
        this.ring = new Sample[windows.samples()];
    }

    void record(double value, long nowMs) {
        Sample sample = current(nowMs);
        if (nowMs - sample.startMs >= windows.windowMs()) {
            sample = advance(nowMs);
        }
        sample.value += value;
        sample.lastEventMs = nowMs;
    }

    /** Per second. */
    double rate(long nowMs) {
        purgeObsolete(nowMs);
        double total = 0;
        for (int i = 0; i < used; i++) {
            total += ring[i].value;
        }
        return total / (windowMs(nowMs) / 1000.0);
    }

    /** The span, in ms, the rate is measured over at {@code nowMs}. */
    long windowMs(long nowMs) {
        purgeObsolete(nowMs);
        long elapsed = nowMs - oldest(nowMs).startMs;
        long fullWindows = elapsed / windows.windowMs();
        int minFullWindows = windows.samples() - 1;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * windows.windowMs();
        }
        return Math.max(elapsed, 1);
    }

    /** When the last value was recorded. */
    long lastEventMs() {
        return used == 0 ? Long.MIN_VALUE : ring[current].lastEventMs;
    }

    private Sample current(long nowMs) {
        if (used == 0) {
            ring[0] = new Sample(nowMs);
            used = 1;
        }
        return ring[current];
    }

    private Sample advance(long nowMs) {
        current = (current + 1) % ring.length;
        if (current >= used) {
            ring[current] = new Sample(nowMs);
            used++;
        } else {
            ring[current].reset(nowMs);
        }
        return ring[current];
    }

    private Sample oldest(long nowMs) {
        Sample oldest = current(nowMs);
        for (int i = 0; i < used; i++) {
            if (ring[i].startMs < oldest.startMs) {
                oldest = ring[i];
            }
        }
        return oldest;
    }

    private void purgeObsolete(long nowMs) {
        long expireAge = windows.samples() * windows.windowMs();
        for (int i = 0; i < used; i++) {
            if (nowMs - ring[i].startMs >= expireAge) {
                ring[i].reset(nowMs);
            }
        }
    }

    private static final class Sample {
        long startMs;
        long lastEventMs;
        double value;

        Sample(long nowMs) {
            reset(nowMs);
        }

        void reset(long nowMs) {
            startMs = nowMs;
            lastEventMs = nowMs;
            value = 0;
        }
    }
}

package io.millrace.server.quota;

import io.millrace.common.Time;
import java.util.concurrent.TimeUnit;

/** A clock that moves only when told. */
final class ManualTime implements Time {
    private long nowMs;

    ManualTime(long startMs) {
        nowMs = startMs;
    }

    void advance(long ms) {
        nowMs += ms;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs);
    }
}

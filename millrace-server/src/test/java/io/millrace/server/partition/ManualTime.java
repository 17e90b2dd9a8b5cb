package io.millrace.server.partition;

import io.millrace.common.Time;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told. */
final class ManualTime implements Time {
    private final AtomicLong nowMs;

    ManualTime(long startMs) {
        nowMs = new AtomicLong(startMs);
    }

    void advance(long ms) {
        nowMs.addAndGet(ms);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs.get());
    }
}

package io.millrace.metadata.controller;

import io.millrace.common.Time;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
final class ManualTime implements Time {
    private final AtomicLong nowMs = new AtomicLong(1_000_000L);

    void advance(long ms) {
        nowMs.addAndGet(ms);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return nowMs.get() * 1_000_000L;
    }
}

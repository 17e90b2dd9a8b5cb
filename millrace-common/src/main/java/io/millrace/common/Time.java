package io.millrace.common;

/**
 * The clock, injectable so tests can be deterministic. {@link #SYSTEM} is the real one.
 * Implementations must be thread-safe.
 */
public interface Time {
    long milliseconds();

    long nanoseconds();

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}

package io.millrace.metrics;

/** Records durations into a latency histogram. Thread-safe; allocation-free. */
@FunctionalInterface
public interface LatencyRecorder {

    /** Records one duration, in nanoseconds. */
    void recordNanos(long nanos);

    /** Records nothing: for code run without metrics (unit tests). */
    LatencyRecorder NONE = nanos -> { };
}

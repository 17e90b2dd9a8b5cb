package io.millrace.metrics;

/** Counts events (an ISR shrink, a rebalance). Thread-safe; allocation-free. */
@FunctionalInterface
public interface EventCounter {

    /** Adds one. */
    void increment();

    /** Counts nothing: for code run without metrics (unit tests). */
    EventCounter NONE = () -> { };
}

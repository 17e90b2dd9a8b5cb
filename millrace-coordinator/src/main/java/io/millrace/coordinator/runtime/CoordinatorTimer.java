package io.millrace.coordinator.runtime;

import java.util.function.Supplier;

/**
 * Timers of one coordinator shard (session timeouts, rebalance timeouts, ...). A timer's
 * operation runs on the shard's own thread, like any other write operation, and its records
 * are appended and replayed the same way. Scheduling a key again replaces the earlier timer.
 */
public interface CoordinatorTimer {
    void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation);

    void cancel(String key);

    boolean isScheduled(String key);
}

package io.millrace.coordinator.consumer;

import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Timers that fire only when the test says so. */
final class ManualTimer implements CoordinatorTimer {
    private final Map<String, Supplier<CoordinatorResult<Void>>> operations = new HashMap<>();
    private final Map<String, Long> delays = new HashMap<>();

    @Override
    public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
        operations.put(key, operation);
        delays.put(key, delayMs);
    }

    @Override
    public void cancel(String key) {
        operations.remove(key);
        delays.remove(key);
    }

    @Override
    public boolean isScheduled(String key) {
        return operations.containsKey(key);
    }

    long delay(String key) {
        return delays.get(key);
    }

    /** Runs the timer's operation as the shard would; it is no longer scheduled afterwards. */
    CoordinatorResult<Void> fire(String key) {
        Supplier<CoordinatorResult<Void>> operation = operations.remove(key);
        delays.remove(key);
        if (operation == null) {
            throw new AssertionError("No timer " + key + " is scheduled; scheduled: " + operations.keySet());
        }
        return operation.get();
    }
}

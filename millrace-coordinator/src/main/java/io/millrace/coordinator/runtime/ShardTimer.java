package io.millrace.coordinator.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The timers of one shard. The scheduler thread only hands a due timer to the shard's owner
 * thread, which runs it unless it was cancelled or replaced in the meantime ({@link #claim}).
 * Scheduling and cancelling inside a write operation are undone when the write's append fails
 * (see {@link WriteJournal}); the replaced timer's task is cancelled only once the write is kept.
 * Thread-safe.
 */
final class ShardTimer implements CoordinatorTimer {
    private record Entry(Supplier<CoordinatorResult<Void>> operation, ScheduledFuture<?> future) {
    }

    private final CoordinatorRuntime<?> runtime;
    private final ShardHolder<?> holder;
    private final ScheduledExecutorService scheduler;
    private final WriteJournal journal;
    private final Map<String, Entry> timers = new ConcurrentHashMap<>();

    ShardTimer(CoordinatorRuntime<?> runtime, ShardHolder<?> holder, ScheduledExecutorService scheduler) {
        this.runtime = runtime;
        this.holder = holder;
        this.scheduler = scheduler;
        this.journal = holder.journal;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void schedule(String key, long delayMs, Supplier<CoordinatorResult<Void>> operation) {
        ScheduledFuture<?> future;
        try {
            future = scheduler.schedule(() -> ((CoordinatorRuntime) runtime).fireTimer(holder, key, operation),
                    Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return; // shutting down
        }
        Entry previous = timers.put(key, new Entry(operation, future));
        journal.onRevert(() -> {
            future.cancel(false);
            restore(key, previous);
        });
        if (previous != null) {
            journal.onKeep(() -> previous.future().cancel(false));
        }
    }

    @Override
    public void cancel(String key) {
        Entry previous = timers.remove(key);
        if (previous != null) {
            journal.onRevert(() -> restore(key, previous));
            journal.onKeep(() -> previous.future().cancel(false));
        }
    }

    /** Puts {@code key} back as it was (undoes run newest first, so this is exact). */
    private void restore(String key, Entry previous) {
        if (previous == null) {
            timers.remove(key);
        } else {
            timers.put(key, previous);
        }
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    /** True, and forgets the timer, if {@code key} is still scheduled with this very operation. */
    boolean claim(String key, Supplier<CoordinatorResult<Void>> operation) {
        Entry entry = timers.get(key);
        return entry != null && entry.operation() == operation && timers.remove(key, entry);
    }

    void cancelAll() {
        timers.values().forEach(e -> e.future().cancel(false));
        timers.clear();
    }
}

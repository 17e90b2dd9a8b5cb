package io.millrace.coordinator.runtime;

import io.millrace.common.Time;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs coordinator shards: one per {@code __consumer_offsets} partition this node leads.
 *
 * <p>Threads: {@code threads} owner threads named {@code <name>-<i>}; partition {@code p} always
 * runs on thread {@code p % threads}, so each shard's operations, record appends, replays and
 * timers run one at a time, in submission order, on one thread, and shard state needs no locks.
 * Loading a partition occupies its thread (requests to it answer COORDINATOR_LOAD_IN_PROGRESS at
 * once; other partitions of that thread wait).
 * One more thread, {@code <name>-timer}, only hands due timers to the owner threads. Callers on
 * any thread get futures back.
 *
 * <p>A write runs against the shard, appends the records it returned through the
 * {@link CoordinatorLog} (synchronously, on the owner thread), replays them into the shard, and
 * only then completes with the response. With a single replica the append is committed when it
 * returns. Replication will need Kafka's approach instead: replay at once into uncommitted state,
 * keep serving, and complete responses (or roll the state back) when the high watermark moves.
 *
 * <p>Lifecycle: {@link #load} when this node becomes leader of a partition (requests answer
 * COORDINATOR_LOAD_IN_PROGRESS until every record is replayed), {@link #unload} when it stops
 * being leader (NOT_COORDINATOR from then on), {@link #close} at shutdown.
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);

    private final CoordinatorLog coordinatorLog;
    private final CoordinatorShard.Factory<S> factory;
    private final Time time;
    private final ExecutorService[] owners;
    private final ScheduledExecutorService timerThread;
    private final Map<Integer, ShardHolder<S>> shards = new ConcurrentHashMap<>();

    public CoordinatorRuntime(String name, int threads, CoordinatorLog coordinatorLog, Time time,
                              CoordinatorShard.Factory<S> factory) {
        this.coordinatorLog = coordinatorLog;
        this.factory = factory;
        this.time = time;
        this.owners = new ExecutorService[threads];
        for (int i = 0; i < threads; i++) {
            String threadName = name + "-" + i;
            owners[i] = Executors.newSingleThreadExecutor(r -> daemon(r, threadName));
        }
        this.timerThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    }

    /** Takes {@code partition} over: builds its shard and replays its log, in the background. */
    public void load(int partition) {
        ShardHolder<S> holder = new ShardHolder<>(partition);
        if (shards.putIfAbsent(partition, holder) != null) {
            return;
        }
        holder.timer = new ShardTimer(this, holder, timerThread);
        try {
            execute(partition, () -> load(holder));
        } catch (RejectedExecutionException e) {
            shards.remove(partition, holder); // shutting down
        }
    }

    private void load(ShardHolder<S> holder) {
        int partition = holder.partition;
        if (holder.status != ShardHolder.Status.LOADING) {
            return;
        }
        long start = time.milliseconds();
        try {
            S shard = factory.create(new CoordinatorShard.Context(partition, holder.timer, time));
            int[] count = {0};
            coordinatorLog.readAll(partition, record -> {
                try {
                    shard.replay(record);
                    count[0]++;
                } catch (RuntimeException e) {
                    // One unreadable record must not cost the whole partition: skip it, loudly.
                    log.warn("Skipping an unreadable record of key type {} in coordinator partition {}: {}",
                            record.keyType(), partition, e.toString());
                }
            });
            holder.shard = shard;
            holder.status = ShardHolder.Status.ACTIVE;
            shard.onLoaded();
            log.info("Loaded coordinator partition {}: {} records in {} ms", partition, count[0],
                    time.milliseconds() - start);
        } catch (RuntimeException e) {
            log.error("Loading coordinator partition {} failed; it is not served", partition, e);
            holder.status = ShardHolder.Status.FAILED;
        }
    }

    /** Gives {@code partition} up: its pending requests fail and it answers NOT_COORDINATOR. */
    public void unload(int partition) {
        ShardHolder<S> holder = shards.remove(partition);
        if (holder == null) {
            return;
        }
        Runnable close = () -> {
            ShardHolder.Status was = holder.status;
            holder.status = ShardHolder.Status.CLOSED;
            holder.timer.cancelAll();
            if (was == ShardHolder.Status.ACTIVE) {
                try {
                    holder.shard.onUnloaded();
                } catch (RuntimeException e) {
                    log.warn("Unloading coordinator partition {} failed", partition, e);
                }
            }
            log.info("Unloaded coordinator partition {}", partition);
        };
        try {
            execute(partition, close);
        } catch (RejectedExecutionException e) {
            holder.status = ShardHolder.Status.CLOSED; // shutting down
        }
    }

    /** Whether {@code partition} is loaded and serving here. */
    public boolean isActive(int partition) {
        ShardHolder<S> holder = shards.get(partition);
        return holder != null && holder.status == ShardHolder.Status.ACTIVE;
    }

    /** Whether {@code partition} is hosted here, loaded or loading. */
    public boolean isHosted(int partition) {
        return shards.containsKey(partition);
    }

    /**
     * Runs {@code operation} on the shard's thread, appends and replays its records, then
     * completes with its response. Fails with NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS
     * when the shard does not serve, or with the append's error.
     */
    public <T> CompletableFuture<T> write(int partition, String name, Function<S, CoordinatorResult<T>> operation) {
        return onServingShard(partition, holder -> runWrite(holder, name, operation));
    }

    /** Runs {@code operation} on the shard's thread, which must not change state; no records. */
    public <T> CompletableFuture<T> read(int partition, Function<S, T> operation) {
        return onServingShard(partition, holder -> operation.apply(holder.shard));
    }

    /**
     * Runs {@code task} on the shard's owner thread if this broker serves the shard; otherwise
     * fails at once with NOT_COORDINATOR, or COORDINATOR_LOAD_IN_PROGRESS rather than queueing
     * behind the load on the owner thread.
     */
    private <T> CompletableFuture<T> onServingShard(int partition, Function<ShardHolder<S>, T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        ShardHolder<S> holder = shards.get(partition);
        if (holder == null) {
            future.completeExceptionally(notCoordinator(partition));
            return future;
        }
        if (holder.status == ShardHolder.Status.LOADING) {
            future.completeExceptionally(loadInProgress(partition));
            return future;
        }
        submit(partition, future, () -> {
            checkServing(holder);
            return task.apply(holder);
        });
        return future;
    }

    /** Runs a due timer's operation like a write; a failure is logged (nobody waits on it). */
    void fireTimer(ShardHolder<S> holder, String key, java.util.function.Supplier<CoordinatorResult<Void>> operation) {
        try {
            execute(holder.partition, () -> {
                if (holder.status != ShardHolder.Status.ACTIVE || !holder.timer.claim(key, operation)) {
                    return;
                }
                try {
                    runWrite(holder, "timer " + key, shard -> operation.get());
                } catch (RuntimeException e) {
                    log.warn("Timer {} of coordinator partition {} failed: {}", key, holder.partition, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private <T> T runWrite(ShardHolder<S> holder, String name, Function<S, CoordinatorResult<T>> operation) {
        CoordinatorResult<T> result = operation.apply(holder.shard);
        if (!result.records().isEmpty()) {
            coordinatorLog.append(holder.partition, result.records());
            for (CoordinatorRecord record : result.records()) {
                try {
                    holder.shard.replay(record);
                } catch (RuntimeException e) {
                    // The record is durable but its state change failed: the shard now differs from
                    // what a reload would build. Reloading is the only safe repair.
                    log.error("Replaying a record of '{}' on coordinator partition {} failed; reload the partition",
                            name, holder.partition, e);
                    throw e;
                }
            }
        }
        return result.response();
    }

    private static void checkServing(ShardHolder<?> holder) {
        switch (holder.status) {
            case ACTIVE -> {
            }
            case LOADING -> throw loadInProgress(holder.partition);
            default -> throw notCoordinator(holder.partition);
        }
    }

    private <T> void submit(int partition, CompletableFuture<T> future, java.util.concurrent.Callable<T> task) {
        try {
            execute(partition, () -> {
                try {
                    future.complete(task.call());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(notCoordinator(partition));
        }
    }

    private void execute(int partition, Runnable task) {
        owners[Math.floorMod(partition, owners.length)].execute(task);
    }

    private static CoordinatorLoadInProgressException loadInProgress(int partition) {
        return new CoordinatorLoadInProgressException("Coordinator partition " + partition + " is loading");
    }

    private static NotCoordinatorException notCoordinator(int partition) {
        return new NotCoordinatorException("This node does not coordinate partition " + partition);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Unloads every shard, then stops the threads. */
    @Override
    public void close() {
        for (Integer partition : Map.copyOf(shards).keySet()) {
            unload(partition);
        }
        timerThread.shutdownNow();
        for (ExecutorService owner : owners) {
            owner.shutdown();
        }
        for (ExecutorService owner : owners) {
            try {
                if (!owner.awaitTermination(5, TimeUnit.SECONDS)) {
                    owner.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                owner.shutdownNow();
            }
        }
    }
}

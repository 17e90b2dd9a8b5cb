package io.millrace.coordinator.runtime;

import io.millrace.common.Time;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs coordinator shards: one per partition of a coordinator's topic that this node leads
 * ({@code __consumer_offsets} for the group coordinator); the same runtime serves every coordinator.
 *
 * <p>Threads: {@code threads} owner threads named {@code <name>-<i>}; partition {@code p} always
 * runs on thread {@code p % threads}, so each shard's operations, record appends, replays and
 * timers run one at a time, in submission order, on one thread, and shard state needs no locks.
 * Loading a partition occupies its thread (requests to it answer COORDINATOR_LOAD_IN_PROGRESS at
 * once; other partitions of that thread wait).
 * One more thread, {@code <name>-timer}, only hands due timers to the owner threads. Callers on
 * any thread get futures back.
 *
 * <p>Writes are asynchronous. A write runs against the shard inside the shard's
 * {@link WriteJournal}, appends the records it returned through the {@link CoordinatorLog} (to the
 * local replica: the owner thread never waits for replication), replays them into the shard at once
 * (uncommitted), and moves on; its response, and the side effects it deferred, leave on the owner
 * thread once the log says the records are committed (the high watermark passed them), or the
 * response fails with the commit's error. When the append itself fails nothing was written: the
 * journal undoes what the operation changed and the response fails with the append's error
 * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, ...), as Kafka's runtime reverts to the last written
 * offset. A failed commit reverts nothing: the records are in this replica's log, which is what the
 * shard reflects; if they are truncated, it is because another node leads, and this one unloads.
 * A read, or a write without records, answers once everything appended before it is committed
 * (or failed), so no answer reveals records that may still vanish.
 *
 * <p>Transactions: a write may append its records as a transactional producer's batch
 * ({@link CoordinatorResult#producer()}); they are replayed with that producer's id and epoch and
 * take effect at its marker, which {@link #completeTransaction} appends and replays on the owner
 * thread like a write.
 *
 * <p>Lifecycle: {@link #load} when this node becomes leader of a partition (requests answer
 * COORDINATOR_LOAD_IN_PROGRESS until every record is replayed), {@link #unload} when it stops
 * being leader (NOT_COORDINATOR from then on), {@link #close} at shutdown.
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);
    /** How soon a timer whose write could not be appended runs again (Kafka's coordinator retries too). */
    static final long TIMER_RETRY_BACKOFF_MS = 500;

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
            S shard = factory.create(new CoordinatorShard.Context(partition, holder.timer, time, holder.journal));
            ShardLoadSink sink = new ShardLoadSink(shard, partition);
            coordinatorLog.readAll(partition, sink);
            holder.shard = shard;
            holder.status = ShardHolder.Status.ACTIVE;
            shard.onLoaded();
            log.info("Loaded coordinator partition {}: {} records in {} ms", partition, sink.count(),
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
     * Runs {@code operation} on the shard's thread, appends and replays its records, and completes
     * with its response once they are committed. Fails with NOT_COORDINATOR or
     * COORDINATOR_LOAD_IN_PROGRESS when the shard does not serve, or with the append's or the
     * commit's error.
     */
    public <T> CompletableFuture<T> write(int partition, String name, Function<S, CoordinatorResult<T>> operation) {
        return onServingShard(partition, (holder, response) -> runWrite(holder, name, operation, response));
    }

    /**
     * Runs {@code operation} on the shard's thread, which must not change state; answers once what
     * was appended before is committed.
     */
    public <T> CompletableFuture<T> read(int partition, Function<S, T> operation) {
        return onServingShard(partition, (holder, response) -> {
            T result = operation.apply(holder.shard);
            whenDone(holder, holder.lastAppendDone, List.of(), result, response);
        });
    }

    /**
     * Ends {@code producerId}'s transaction in {@code partition} (WriteTxnMarkers to a coordinator
     * partition; Kafka's runtime writes these markers itself too): on the owner thread, appends the
     * COMMIT or ABORT marker through the {@link CoordinatorLog}, replays it into the shard at once
     * like any write's records, and completes once the marker is committed. Reads and record-less
     * writes submitted afterwards answer only then, so no answer shows the transaction's outcome
     * before it is durable. Because the owner thread appends it, the marker lands between whole
     * writes, in the order the shard sees them. Fails with NOT_COORDINATOR or
     * COORDINATOR_LOAD_IN_PROGRESS when the shard does not serve, or with the partition error of the
     * append or the commit.
     */
    public CompletableFuture<Void> completeTransaction(int partition, long producerId, short producerEpoch,
                                                       int coordinatorEpoch, TransactionMarker marker) {
        return onServingShard(partition, (holder, response) -> {
            CoordinatorLog.Appended appended = coordinatorLog.appendEndTransactionMarker(partition, producerId,
                    producerEpoch, coordinatorEpoch, marker);
            try {
                holder.shard.replayEndTransactionMarker(appended.baseOffset(), producerId, producerEpoch, marker);
            } catch (RuntimeException e) {
                log.error("Replaying the {} marker of producer {} on coordinator partition {} failed; reload the "
                        + "partition", marker, producerId, partition, e);
            }
            holder.lastAppendDone = appended.committed().handle((v, e) -> null);
            whenDone(holder, appended.committed(), List.of(), null, response);
        });
    }

    /**
     * Runs {@code task} on the shard's owner thread if this broker serves the shard; otherwise
     * fails at once with NOT_COORDINATOR, or COORDINATOR_LOAD_IN_PROGRESS rather than queueing
     * behind the load on the owner thread.
     */
    private <T> CompletableFuture<T> onServingShard(int partition,
                                                    BiConsumer<ShardHolder<S>, CompletableFuture<T>> task) {
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
        try {
            execute(partition, () -> {
                try {
                    checkServing(holder);
                    task.accept(holder, future);
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(notCoordinator(partition));
        }
        return future;
    }

    /**
     * Runs a due timer's operation like a write; a failure is logged (nobody waits on it), and a
     * timer whose records could not be appended runs again after a back-off.
     */
    void fireTimer(ShardHolder<S> holder, String key, Supplier<CoordinatorResult<Void>> operation) {
        try {
            execute(holder.partition, () -> {
                if (holder.status != ShardHolder.Status.ACTIVE || !holder.timer.claim(key, operation)) {
                    return;
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                boolean appendFailed = !runWrite(holder, "timer " + key, shard -> operation.get(), done);
                done.whenComplete((v, e) -> {
                    if (e != null) {
                        log.warn("Timer {} of coordinator partition {} failed: {}", key, holder.partition, e.toString());
                    }
                });
                if (appendFailed && holder.status == ShardHolder.Status.ACTIVE && !holder.timer.isScheduled(key)) {
                    holder.timer.schedule(key, TIMER_RETRY_BACKOFF_MS, operation);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Runs a write on the owner thread: the operation, the append, the replay; {@code response}
     * completes later (see the class comment).
     *
     * @return false when the append failed and the operation's changes were reverted
     */
    private <T> boolean runWrite(ShardHolder<S> holder, String name, Function<S, CoordinatorResult<T>> operation,
                                 CompletableFuture<T> response) {
        WriteJournal journal = holder.journal;
        journal.begin();
        CoordinatorResult<T> result;
        try {
            result = operation.apply(holder.shard);
        } catch (RuntimeException e) {
            journal.revert();
            response.completeExceptionally(e);
            return true;
        }
        List<CoordinatorRecord> records = result.records();
        CompletableFuture<Void> committed;
        if (records.isEmpty()) {
            committed = holder.lastAppendDone;
        } else {
            CoordinatorLog.Appended appended;
            try {
                appended = coordinatorLog.append(holder.partition, result.producer(), records);
            } catch (RuntimeException e) {
                journal.revert();
                response.completeExceptionally(e);
                return false;
            }
            replayAppended(holder, name, appended.baseOffset(), result.producer(), records);
            committed = appended.committed();
            holder.lastAppendDone = committed.handle((v, e) -> null);
        }
        whenDone(holder, committed, journal.keep(), result.response(), response);
        return true;
    }

    private void replayAppended(ShardHolder<S> holder, String name, long baseOffset, BatchProducer producer,
                                List<CoordinatorRecord> records) {
        // As a load does: only a transaction's records wait for its marker.
        long producerId = producer.transactional() ? producer.producerId() : CoordinatorShard.NO_PRODUCER_ID;
        short producerEpoch = producer.transactional() ? producer.producerEpoch() : CoordinatorShard.NO_PRODUCER_EPOCH;
        for (int i = 0; i < records.size(); i++) {
            try {
                holder.shard.replay(baseOffset + i, producerId, producerEpoch, records.get(i));
            } catch (RuntimeException e) {
                // The record is in the log but its state change failed: the shard now differs from
                // what a reload would build. Reloading is the only safe repair.
                log.error("Replaying a record of '{}' on coordinator partition {} failed; reload the partition",
                        name, holder.partition, e);
            }
        }
    }

    /**
     * Once {@code committed} completes: runs the deferred side effects, then completes
     * {@code response} with {@code value} or the commit's failure; on the owner thread.
     */
    private <T> void whenDone(ShardHolder<S> holder, CompletableFuture<Void> committed, List<Runnable> effects,
                              T value, CompletableFuture<T> response) {
        BiConsumer<Void, Throwable> finish = (v, failure) -> {
            for (Runnable effect : effects) {
                try {
                    effect.run();
                } catch (RuntimeException e) {
                    log.warn("A side effect on coordinator partition {} failed", holder.partition, e);
                }
            }
            if (failure != null) {
                response.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                response.complete(value);
            }
        };
        if (committed.isDone()) {
            committed.whenComplete(finish); // runs now, on this (the owner) thread
        } else {
            committed.whenCompleteAsync(finish, task -> executeOrRun(holder.partition, task));
        }
    }

    private static void checkServing(ShardHolder<?> holder) {
        switch (holder.status) {
            case ACTIVE -> {
            }
            case LOADING -> throw loadInProgress(holder.partition);
            default -> throw notCoordinator(holder.partition);
        }
    }

    private void execute(int partition, Runnable task) {
        owners[Math.floorMod(partition, owners.length)].execute(task);
    }

    /** On the owner thread, or here when the owners have stopped (shutdown): a response must still leave. */
    private void executeOrRun(int partition, Runnable task) {
        try {
            execute(partition, task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
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

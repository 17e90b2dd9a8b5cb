package io.millrace.coordinator.sharestate;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorPartitions;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * What the share-state API handlers and this broker's share-partition leaders call: routes each
 * {@link ShareStateKey} to the shard of its {@code __share_group_state} partition (Kafka's formula
 * over "groupId:topicId:partition") and runs the operation there. Runtime errors (NOT_COORDINATOR,
 * COORDINATOR_LOAD_IN_PROGRESS, a failed append) become the result's error. Thread-safe; every
 * method returns at once with a future.
 */
public final class ShareCoordinatorService implements CoordinatorPartitions, AutoCloseable {
    private final CoordinatorRuntime<ShareCoordinatorShard> runtime;
    private volatile int numPartitions;

    public ShareCoordinatorService(int numPartitions, int threads, CoordinatorLog coordinatorLog, Time time) {
        this.numPartitions = numPartitions;
        this.runtime = new CoordinatorRuntime<>("share-coordinator", threads, coordinatorLog, time,
                ShareCoordinatorShard::new);
    }

    @Override
    public int partitionFor(String coordinatorKey) {
        return GroupIds.partitionFor(coordinatorKey, numPartitions);
    }

    @Override
    public void useNumPartitions(int partitions) {
        this.numPartitions = partitions;
    }

    @Override
    public void onElection(int partition) {
        runtime.load(partition);
    }

    @Override
    public void onResignation(int partition) {
        runtime.unload(partition);
    }

    /** Whether the shard of {@code key} is loaded and serving here. */
    public boolean serves(ShareStateKey key) {
        return runtime.isActive(partitionFor(key.coordinatorKey()));
    }

    public CompletableFuture<ShareStateResult> initialize(ShareStateKey key, int stateEpoch, long startOffset) {
        return write(key, "initialize-share-group-state", shard -> shard.initialize(key, stateEpoch, startOffset));
    }

    public CompletableFuture<ShareStateResult> read(ShareStateKey key, int leaderEpoch) {
        return write(key, "read-share-group-state", shard -> shard.read(key, leaderEpoch));
    }

    public CompletableFuture<ShareStateResult> write(ShareStateKey key, ShareSnapshot snapshot) {
        return write(key, "write-share-group-state", shard -> shard.write(key, snapshot));
    }

    public CompletableFuture<ShareStateResult> delete(ShareStateKey key) {
        return write(key, "delete-share-group-state", shard -> shard.delete(key));
    }

    public CompletableFuture<ShareStateResult> summary(ShareStateKey key) {
        return runtime.read(partitionFor(key.coordinatorKey()), shard -> ShareStateResult.ok(shard.snapshot(key)))
                .exceptionally(ShareCoordinatorService::failure);
    }

    private CompletableFuture<ShareStateResult> write(ShareStateKey key, String name,
                                                      Function<ShareCoordinatorShard, CoordinatorResult<ShareStateResult>> op) {
        return runtime.write(partitionFor(key.coordinatorKey()), name, op).exceptionally(ShareCoordinatorService::failure);
    }

    private static ShareStateResult failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return ShareStateResult.failed(cause instanceof ApiException api ? Errors.forException(api)
                : Errors.UNKNOWN_SERVER_ERROR);
    }

    @Override
    public void close() {
        runtime.close();
    }
}

package io.millrace.server.share;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.server.coordinator.CoordinatorTopic;
import io.millrace.server.sharestate.ShareStateSender;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * How a share-partition leader reads and writes its durable state: through the share coordinator
 * of the state's {@code __share_group_state} partition (created on first need). While that
 * partition is loading, or its leadership is moving here, the call is retried for up to
 * {@value #RETRY_FOR_MS} ms. A coordinator on another broker is sent ReadShareGroupState and
 * WriteShareGroupState ({@link ShareStateSender}). Thread-safe.
 */
public final class ShareStateStore {
    private static final long RETRY_FOR_MS = 30_000;
    private static final long RETRY_BACKOFF_MS = 100;

    private final ShareCoordinatorService coordinator;
    private final CoordinatorTopic topic;
    private final int nodeId;
    private final ShareStateSender sender;

    public ShareStateStore(ShareCoordinatorService coordinator, CoordinatorTopic topic, int nodeId,
                           ShareStateSender sender) {
        this.coordinator = coordinator;
        this.topic = topic;
        this.nodeId = nodeId;
        this.sender = sender;
    }

    /** The state of {@code key}, fencing leaders older than {@code leaderEpoch}; a null snapshot when it has none. */
    CompletableFuture<ShareStateResult> read(ShareStateKey key, int leaderEpoch) {
        return call(key, () -> coordinator.read(key, leaderEpoch), broker -> sender.read(broker, key, leaderEpoch));
    }

    /** The start offset and epochs of {@code key} (with its batches when the coordinator is this broker). */
    public CompletableFuture<ShareStateResult> summary(ShareStateKey key) {
        return call(key, () -> coordinator.summary(key), broker -> sender.summary(broker, key));
    }

    /** A new state epoch and start offset for {@code key}, dropping what was in flight (AlterShareGroupOffsets). */
    public CompletableFuture<ShareStateResult> initialize(ShareStateKey key, int stateEpoch, long startOffset) {
        return call(key, () -> coordinator.initialize(key, stateEpoch, startOffset),
                broker -> sender.initialize(broker, key, stateEpoch, startOffset));
    }

    /** Forgets the state of {@code key} (DeleteShareGroupOffsets). */
    public CompletableFuture<ShareStateResult> delete(ShareStateKey key) {
        return call(key, () -> coordinator.delete(key), broker -> sender.delete(broker, key));
    }

    CompletableFuture<ShareStateResult> write(ShareStateKey key, ShareSnapshot snapshot) {
        return call(key, () -> coordinator.write(key, snapshot), broker -> sender.write(broker, key, snapshot));
    }

    private CompletableFuture<ShareStateResult> call(ShareStateKey key, Supplier<CompletableFuture<ShareStateResult>> local,
                                                     IntFunction<CompletableFuture<ShareStateResult>> remote) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MS);
        return topic.ensureCreated().thenCompose(created -> attempt(key, local, remote, deadline));
    }

    private CompletableFuture<ShareStateResult> attempt(ShareStateKey key,
                                                        Supplier<CompletableFuture<ShareStateResult>> local,
                                                        IntFunction<CompletableFuture<ShareStateResult>> remote,
                                                        long deadline) {
        Optional<Integer> leader = topic.leaderFor(key.coordinatorKey());
        CompletableFuture<ShareStateResult> result;
        if (leader.isEmpty() || leader.get() < 0) {
            result = CompletableFuture.completedFuture(new ShareStateResult(Errors.COORDINATOR_NOT_AVAILABLE, null));
        } else {
            result = leader.get() == nodeId ? local.get() : remote.apply(leader.get());
        }
        return result.thenCompose(r -> {
            if (!retriable(r.error()) || System.nanoTime() >= deadline) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> attempt(key, local, remote, deadline));
        });
    }

    private static boolean retriable(Errors error) {
        return error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || error == Errors.COORDINATOR_NOT_AVAILABLE;
    }
}

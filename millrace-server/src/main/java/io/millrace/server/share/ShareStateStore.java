package io.millrace.server.share;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.server.coordinator.CoordinatorTopic;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a share-partition leader reads and writes its durable state: through the share coordinator
 * of the state's {@code __share_group_state} partition (created on first need). While that
 * partition is loading, or its leadership is moving here, the call is retried for up to
 * {@value #RETRY_FOR_MS} ms. A coordinator on another broker is not reached yet (the leader would
 * send ReadShareGroupState/WriteShareGroupState, which is still to be built): the state then stays
 * in memory, with one warning. Thread-safe.
 */
public final class ShareStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(ShareStateStore.class);
    private static final long RETRY_FOR_MS = 30_000;
    private static final long RETRY_BACKOFF_MS = 100;

    private final ShareCoordinatorService coordinator;
    private final CoordinatorTopic topic;
    private final int nodeId;
    private final AtomicBoolean warnedRemote = new AtomicBoolean();

    public ShareStateStore(ShareCoordinatorService coordinator, CoordinatorTopic topic, int nodeId) {
        this.coordinator = coordinator;
        this.topic = topic;
        this.nodeId = nodeId;
    }

    /** The state of {@code key}, fencing leaders older than {@code leaderEpoch}; a null snapshot when it has none. */
    CompletableFuture<ShareStateResult> read(ShareStateKey key, int leaderEpoch) {
        return call(key, () -> coordinator.read(key, leaderEpoch));
    }

    CompletableFuture<ShareStateResult> write(ShareStateKey key, ShareSnapshot snapshot) {
        return call(key, () -> coordinator.write(key, snapshot));
    }

    private CompletableFuture<ShareStateResult> call(ShareStateKey key, Supplier<CompletableFuture<ShareStateResult>> op) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MS);
        return topic.ensureCreated().thenCompose(created -> attempt(key, op, deadline));
    }

    private CompletableFuture<ShareStateResult> attempt(ShareStateKey key,
                                                        Supplier<CompletableFuture<ShareStateResult>> op,
                                                        long deadline) {
        Optional<Integer> leader = topic.leaderFor(key.coordinatorKey());
        if (leader.isPresent() && leader.get() >= 0 && leader.get() != nodeId) {
            if (warnedRemote.compareAndSet(false, true)) {
                LOG.warn("The share coordinator of {} is broker {}: share state on this broker stays in memory "
                        + "(reaching a share coordinator on another broker is not built yet)", key, leader.get());
            }
            return CompletableFuture.completedFuture(new ShareStateResult(Errors.NONE, null));
        }
        CompletableFuture<ShareStateResult> result = leader.isPresent() && leader.get() == nodeId ? op.get()
                : CompletableFuture.completedFuture(new ShareStateResult(Errors.COORDINATOR_NOT_AVAILABLE, null));
        return result.thenCompose(r -> {
            if (!retriable(r.error()) || System.nanoTime() >= deadline) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> attempt(key, op, deadline));
        });
    }

    private static boolean retriable(Errors error) {
        return error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || error == Errors.COORDINATOR_NOT_AVAILABLE;
    }
}

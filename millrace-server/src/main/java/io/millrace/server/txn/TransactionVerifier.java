package io.millrace.server.txn;

import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.coordinator.CoordinatorTopicSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition leader's KIP-890 check before a transactional write that would begin the
 * producer's transaction on a partition (Produce, TxnOffsetCommit): asks the transactional id's
 * coordinator — this node's {@link TransactionCoordinatorService} directly, another broker with
 * AddPartitionsToTxn through {@link AddPartitionsToTxnSender} — whether the partitions are in the
 * transaction (transaction version 1, verify only), or has it add them (version 2). Completes with
 * the partitions that must not be written, with the error to answer for each (empty: write them
 * all), already translated by {@link VerificationErrors#fromCoordinator}.
 *
 * <p>{@code transaction.partition.verification.enable} (dynamic) turns the version 1 checks off;
 * version 2 still adds partitions, as the transaction cannot complete otherwise.
 *
 * <p>Thread-safe: holds no mutable state. Its futures complete on {@code completions}, never on
 * the coordinator's owner thread or the sender's thread, so callers may append to a log there.
 */
public final class TransactionVerifier {
    /** Asks one coordinator (local or a broker): the partitions' errors other than NONE. */
    @FunctionalInterface
    public interface CoordinatorCheck {
        CompletableFuture<Map<TopicPartition, Errors>> check(int coordinatorId, String transactionalId,
                                                             long producerId, short producerEpoch,
                                                             Set<TopicPartition> partitions, boolean verifyOnly);
    }

    /** How long the check asks again while the coordinator completes the previous transaction. */
    static final long CONCURRENT_RETRY_BUDGET_MS = 1_000;
    static final long CONCURRENT_RETRY_BACKOFF_MS = 20;
    static final long CONCURRENT_RETRY_BACKOFF_MAX_MS = 100;

    private final BooleanSupplier enabled;
    private final Function<String, OptionalInt> coordinatorOf;
    private final int nodeId;
    private final CoordinatorCheck local;
    private final CoordinatorCheck remote;
    private final Executor completions;

    public TransactionVerifier(BooleanSupplier enabled, Function<String, OptionalInt> coordinatorOf, int nodeId,
                               CoordinatorCheck local, CoordinatorCheck remote, Executor completions) {
        this.enabled = enabled;
        this.coordinatorOf = coordinatorOf;
        this.nodeId = nodeId;
        this.local = local;
        this.remote = remote;
        this.completions = completions;
    }

    /** The broker's verifier: this node's coordinator, others through {@code sender}. */
    public static TransactionVerifier of(BooleanSupplier enabled, int nodeId, TransactionCoordinatorService coordinator,
                                         Supplier<MetadataImage> metadata, AddPartitionsToTxnSender sender,
                                         Executor completions) {
        Function<String, OptionalInt> coordinatorOf = id -> leaderOf(metadata.get(), coordinator.partitionFor(id));
        CoordinatorCheck local = (node, id, pid, epoch, partitions, verifyOnly) -> verifyOnly
                ? coordinator.verifyPartitions(id, pid, epoch, partitions).thenApply(TransactionVerifier::failed)
                : coordinator.addPartitions(id, pid, epoch, partitions).thenApply(e -> all(partitions, e));
        CoordinatorCheck remote = (node, id, pid, epoch, partitions, verifyOnly) ->
                sender.send(node, id, pid, epoch, partitions, verifyOnly);
        return new TransactionVerifier(enabled, coordinatorOf, nodeId, local, remote, completions);
    }

    /**
     * Checks (or, for {@link VerificationMode#ADD_PARTITION}, adds) {@code partitions} in the
     * transaction of {@code transactionalId}; never fails exceptionally.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId,
                                                                 short producerEpoch, Set<TopicPartition> partitions,
                                                                 VerificationMode mode) {
        // As Kafka: a write without a transactional id is not checked.
        if (partitions.isEmpty() || transactionalId == null || transactionalId.isEmpty()
                || (mode.verifyOnly() && !enabled.getAsBoolean())) {
            return CompletableFuture.completedFuture(Map.of());
        }
        OptionalInt coordinatorId = coordinatorOf.apply(transactionalId);
        if (coordinatorId.isEmpty()) {
            return CompletableFuture.completedFuture(all(partitions, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        int coordinator = coordinatorId.getAsInt();
        CoordinatorCheck check = coordinator == nodeId ? local : remote;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONCURRENT_RETRY_BUDGET_MS);
        CompletableFuture<Map<TopicPartition, Errors>> asked = ask(check, coordinator, transactionalId, producerId,
                producerEpoch, partitions, mode.verifyOnly(), deadline, CONCURRENT_RETRY_BACKOFF_MS);
        return asked.handleAsync((errors, failure) -> {
            if (failure != null) {
                return all(partitions, Errors.forException(unwrap(failure)));
            }
            Map<TopicPartition, Errors> translated = new HashMap<>();
            errors.forEach((tp, error) -> {
                if (error != Errors.NONE) {
                    translated.put(tp, VerificationErrors.fromCoordinator(error, mode));
                }
            });
            return translated;
        }, completions);
    }

    /**
     * Asks the coordinator, and asks again while it answers only CONCURRENT_TRANSACTIONS: at
     * transaction version 2 a client begins its next transaction while the coordinator still
     * writes the previous one's markers, and passing that on would fail the first batch and
     * every batch in flight behind it (as Kafka's broker, which retries with
     * {@code add.partitions.to.txn.retry.backoff.ms}, 20 ms doubling to 100 ms). Gives up, and
     * lets the caller answer the error, after {@link #CONCURRENT_RETRY_BUDGET_MS}.
     */
    private CompletableFuture<Map<TopicPartition, Errors>> ask(CoordinatorCheck check, int coordinator,
                                                               String transactionalId, long producerId,
                                                               short producerEpoch, Set<TopicPartition> partitions,
                                                               boolean verifyOnly, long deadlineNanos,
                                                               long backoffMs) {
        CompletableFuture<Map<TopicPartition, Errors>> asked;
        try {
            asked = check.check(coordinator, transactionalId, producerId, producerEpoch, partitions, verifyOnly);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((errors, failure) -> {
            if (failure == null && onlyConcurrentTransactions(errors)
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) - deadlineNanos < 0) {
                Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS, completions);
                return CompletableFuture.runAsync(() -> { }, later).thenCompose(ignored -> ask(check, coordinator,
                        transactionalId, producerId, producerEpoch, partitions, verifyOnly, deadlineNanos,
                        Math.min(backoffMs * 2, CONCURRENT_RETRY_BACKOFF_MAX_MS)));
            }
            return failure == null ? CompletableFuture.completedFuture(errors)
                    : CompletableFuture.<Map<TopicPartition, Errors>>failedFuture(failure);
        }).thenCompose(next -> next);
    }

    private static boolean onlyConcurrentTransactions(Map<TopicPartition, Errors> errors) {
        return errors != null && errors.containsValue(Errors.CONCURRENT_TRANSACTIONS)
                && errors.values().stream().allMatch(e -> e == Errors.NONE || e == Errors.CONCURRENT_TRANSACTIONS);
    }

    /** The leader of partition {@code partition} of {@code __transaction_state}, if it has one. */
    static OptionalInt leaderOf(MetadataImage image, int partition) {
        Optional<PartitionRecord> record = image.topic(CoordinatorTopicSpec.TRANSACTION_STATE)
                .map(t -> t.partitions().get(partition));
        return record.filter(r -> r.leader() >= 0).map(r -> OptionalInt.of(r.leader())).orElse(OptionalInt.empty());
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Map<TopicPartition, Errors> failed(Map<TopicPartition, Errors> errors) {
        Map<TopicPartition, Errors> failed = new HashMap<>();
        errors.forEach((tp, e) -> {
            if (e != Errors.NONE) {
                failed.put(tp, e);
            }
        });
        return failed;
    }

    private static Map<TopicPartition, Errors> all(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        if (error != Errors.NONE) {
            partitions.forEach(tp -> errors.put(tp, error));
        }
        return errors;
    }
}

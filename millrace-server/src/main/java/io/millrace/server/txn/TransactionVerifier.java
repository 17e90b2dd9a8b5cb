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

    /**
     * How a transaction version 2 Produce asks the coordinator again while it answers
     * CONCURRENT_TRANSACTIONS, as Kafka 4.x's partition leader: every
     * {@code add.partitions.to.txn.retry.backoff.ms} (a fixed backoff), until
     * {@code add.partitions.to.txn.retry.backoff.max.ms} have passed since the first ask, capped
     * by Kafka's broker {@code request.timeout.ms} default (30 s, not a Millrace key).
     */
    public record ConcurrentRetry(long backoffMs, long timeoutMs) {
        public static final ConcurrentRetry DEFAULTS = new ConcurrentRetry(20, 100);
        private static final long REQUEST_TIMEOUT_MS = 30_000;

        public ConcurrentRetry {
            if (backoffMs < 1 || timeoutMs < 0) {
                throw new IllegalArgumentException("backoff " + backoffMs + " ms, timeout " + timeoutMs + " ms");
            }
            timeoutMs = Math.min(timeoutMs, REQUEST_TIMEOUT_MS);
        }
    }

    private final BooleanSupplier enabled;
    private final Function<String, OptionalInt> coordinatorOf;
    private final int nodeId;
    private final CoordinatorCheck local;
    private final CoordinatorCheck remote;
    private final Executor completions;
    private final ConcurrentRetry retry;

    public TransactionVerifier(BooleanSupplier enabled, Function<String, OptionalInt> coordinatorOf, int nodeId,
                               CoordinatorCheck local, CoordinatorCheck remote, Executor completions,
                               ConcurrentRetry retry) {
        this.retry = retry;
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
                                         Executor completions, ConcurrentRetry retry) {
        Function<String, OptionalInt> coordinatorOf = id -> leaderOf(metadata.get(), coordinator.partitionFor(id));
        CoordinatorCheck local = (node, id, pid, epoch, partitions, verifyOnly) -> verifyOnly
                ? coordinator.verifyPartitions(id, pid, epoch, partitions).thenApply(TransactionVerifier::failed)
                : coordinator.addPartitions(id, pid, epoch, partitions).thenApply(e -> all(partitions, e));
        CoordinatorCheck remote = (node, id, pid, epoch, partitions, verifyOnly) ->
                sender.send(node, id, pid, epoch, partitions, verifyOnly);
        return new TransactionVerifier(enabled, coordinatorOf, nodeId, local, remote, completions, retry);
    }

    /**
     * Checks (or, for {@link VerificationMode#ADD_PARTITION}, adds) {@code partitions} in the
     * transaction of {@code transactionalId}, asking once; never fails exceptionally.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId,
                                                                 short producerEpoch, Set<TopicPartition> partitions,
                                                                 VerificationMode mode) {
        return verify(transactionalId, producerId, producerEpoch, partitions, mode, false);
    }

    /**
     * As {@link #verify(String, long, short, Set, VerificationMode)} for a Produce request: at
     * transaction version 2 a client begins its next transaction while the coordinator still
     * writes the previous one's markers, so the coordinator's CONCURRENT_TRANSACTIONS is asked
     * again ({@link ConcurrentRetry}) rather than failing the first batch and every batch in
     * flight behind it. Kafka retries only there, not for TxnOffsetCommit nor version 1.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> verifyProduce(String transactionalId, long producerId,
                                                                        short producerEpoch,
                                                                        Set<TopicPartition> partitions,
                                                                        VerificationMode mode) {
        return verify(transactionalId, producerId, producerEpoch, partitions, mode,
                mode == VerificationMode.ADD_PARTITION);
    }

    /** Whether writes in {@code mode} are checked at all (the log then holds them to their verification). */
    public boolean checks(VerificationMode mode) {
        return !mode.verifyOnly() || enabled.getAsBoolean();
    }

    private CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId,
                                                                  short producerEpoch, Set<TopicPartition> partitions,
                                                                  VerificationMode mode, boolean retryConcurrent) {
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryConcurrent ? retry.timeoutMs() : 0);
        CompletableFuture<Map<TopicPartition, Errors>> asked = ask(check, coordinator, transactionalId, producerId,
                producerEpoch, partitions, mode.verifyOnly(), deadline);
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

    /** Asks the coordinator; asks again after the backoff while any partition is CONCURRENT_TRANSACTIONS and time is left. */
    private CompletableFuture<Map<TopicPartition, Errors>> ask(CoordinatorCheck check, int coordinator,
                                                               String transactionalId, long producerId,
                                                               short producerEpoch, Set<TopicPartition> partitions,
                                                               boolean verifyOnly, long deadlineNanos) {
        CompletableFuture<Map<TopicPartition, Errors>> asked;
        try {
            asked = check.check(coordinator, transactionalId, producerId, producerEpoch, partitions, verifyOnly);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((errors, failure) -> {
            if (failure == null && errors != null && errors.containsValue(Errors.CONCURRENT_TRANSACTIONS)
                    && System.nanoTime() - deadlineNanos < 0) {
                Executor later = CompletableFuture.delayedExecutor(retry.backoffMs(), TimeUnit.MILLISECONDS,
                        completions);
                return CompletableFuture.runAsync(() -> { }, later).thenCompose(ignored -> ask(check, coordinator,
                        transactionalId, producerId, producerEpoch, partitions, verifyOnly, deadlineNanos));
            }
            return failure == null ? CompletableFuture.completedFuture(errors)
                    : CompletableFuture.<Map<TopicPartition, Errors>>failedFuture(failure);
        }).thenCompose(next -> next);
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

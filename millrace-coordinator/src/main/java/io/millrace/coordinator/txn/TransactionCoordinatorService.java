package io.millrace.coordinator.txn;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorPartitions;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transaction API handlers call: routes each transactional id to the shard of its
 * {@code __transaction_state} partition ({@code abs(hash) % partitions}, as Kafka), allocates a
 * producer id when a shard asks for one (outside the owner thread: the allocator may ask the
 * controller), and drives prepared transactions to completion: their markers go to the
 * {@link TransactionMarkerSender}, and once written COMPLETE_* is written on the shard.
 * Runtime errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, a failed append) become the
 * answer's error. Thread-safe; every method returns at once with a future.
 *
 * <p>Lifecycle: {@link #onElection}/{@link #onResignation} follow this node's leadership of
 * {@code __transaction_state} partitions (a load finishes prepared transactions); {@link #close}.
 */
public final class TransactionCoordinatorService implements CoordinatorPartitions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinatorService.class);
    /** How soon a completion that could not be written is tried again. */
    static final long COMPLETION_RETRY_MS = 500;

    private final CoordinatorRuntime<TransactionCoordinatorShard> runtime;
    private final Supplier<CompletableFuture<Long>> producerIds;
    private final TransactionMarkerSender markerSender;
    private final Time time;
    private volatile int numPartitions;

    public TransactionCoordinatorService(TransactionCoordinatorConfig config, CoordinatorLog coordinatorLog, Time time,
                                         Supplier<CompletableFuture<Long>> producerIds,
                                         TransactionMarkerSender markerSender) {
        this.producerIds = producerIds;
        this.markerSender = markerSender;
        this.time = time;
        this.numPartitions = config.numPartitions();
        this.runtime = new CoordinatorRuntime<>("transaction-coordinator", config.threads(), coordinatorLog, time,
                context -> new TransactionCoordinatorShard(context, config, this::writeMarkers,
                        ids -> abortTimedOut(context.partition(), ids)));
    }

    @Override
    public int partitionFor(String transactionalId) {
        return GroupIds.partitionFor(transactionalId, numPartitions); // Kafka's formula for both coordinators
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

    public boolean isActive(int partition) {
        return runtime.isActive(partition);
    }

    /** InitProducerId with a transactional id; the answer's error is NONE or the failure. */
    public CompletableFuture<Transition> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                        short expectedEpoch) {
        if (transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Transition.fail(Errors.INVALID_REQUEST));
        }
        return withProducerId(transactionalId, "init-producer-id", fresh ->
                shard -> shard.initProducerId(transactionalId, timeoutMs, expectedProducerId, expectedEpoch, fresh));
    }

    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                                   Set<TopicPartition> partitions) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        return runtime.write(partitionFor(transactionalId), "add-partitions-to-txn",
                        shard -> shard.addPartitions(transactionalId, producerId, producerEpoch, partitions))
                .thenApply(Transition::error).exceptionally(TransactionCoordinatorService::errorOf);
    }

    /** KIP-890 part 1: per partition, whether it is in the producer's ongoing transaction. */
    public CompletableFuture<Map<TopicPartition, Errors>> verifyPartitions(String transactionalId, long producerId,
                                                                          short producerEpoch,
                                                                          Set<TopicPartition> partitions) {
        return runtime.read(partitionFor(transactionalId),
                        shard -> shard.verifyPartitions(transactionalId, producerId, producerEpoch, partitions))
                .exceptionally(t -> {
                    Errors error = errorOf(t);
                    return partitions.stream().collect(Collectors.toMap(p -> p, p -> error));
                });
    }

    public CompletableFuture<Transition> endTransaction(String transactionalId, long producerId, short producerEpoch,
                                                        boolean commit, boolean transactionVersion2) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Transition.fail(Errors.INVALID_REQUEST));
        }
        return withProducerId(transactionalId, "end-txn", fresh -> shard -> shard.endTransaction(transactionalId,
                producerId, producerEpoch, commit, transactionVersion2, fresh));
    }

    public CompletableFuture<DescribeTransactionsResponseData.TransactionState> describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState out = new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(transactionalId);
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(out.setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        return runtime.read(partitionFor(transactionalId), shard -> TransactionViews.describe(out,
                shard.get(transactionalId))).exceptionally(t -> out.setErrorCode(errorOf(t).code()));
    }

    /** Every transaction of every partition led here that passes the filters (empty filter: all). */
    public CompletableFuture<ListTransactionsResponseData> list(List<String> states, List<Long> producerIds,
                                                                long minDurationMs) {
        return list(states, producerIds, minDurationMs, null);
    }

    /**
     * As {@link #list(List, List, long)}, keeping only transactional ids that match
     * {@code transactionalIdPattern} (ListTransactions v2; null or empty: all); a pattern that is
     * not a regular expression answers INVALID_REGULAR_EXPRESSION.
     */
    public CompletableFuture<ListTransactionsResponseData> list(List<String> states, List<Long> producerIds,
                                                                long minDurationMs, String transactionalIdPattern) {
        TransactionViews.ListFilter filter;
        try {
            filter = TransactionViews.ListFilter.of(states, producerIds, minDurationMs, transactionalIdPattern);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(new ListTransactionsResponseData()
                    .setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        List<CompletableFuture<List<ListTransactionsResponseData.TransactionState>>> futures = new ArrayList<>();
        Errors[] error = {Errors.NONE};
        for (int p = 0; p < numPartitions; p++) {
            if (!runtime.isHosted(p)) {
                continue;
            }
            futures.add(runtime.read(p, shard -> filter.select(shard.all(), time.milliseconds())).exceptionally(t -> {
                synchronized (error) {
                    error[0] = errorOf(t);
                }
                return List.of();
            }));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ListTransactionsResponseData response = new ListTransactionsResponseData()
                    .setUnknownStateFilters(filter.unknownStates());
            futures.forEach(f -> response.transactionStates().addAll(f.join()));
            synchronized (error) {
                return response.setErrorCode(error[0].code());
            }
        });
    }

    /**
     * Runs a write that may need a fresh producer id: first without; if the shard asks for one,
     * allocates it (off the owner thread) and runs the write again, which decides anew.
     */
    private CompletableFuture<Transition> withProducerId(String transactionalId, String name,
            Function<OptionalLong, Function<TransactionCoordinatorShard, CoordinatorResult<Transition>>> operation) {
        int partition = partitionFor(transactionalId);
        return runtime.write(partition, name, operation.apply(OptionalLong.empty())).thenCompose(first -> {
            if (!first.needsProducerId()) {
                return CompletableFuture.completedFuture(first);
            }
            return producerIds.get().thenCompose(id ->
                    runtime.write(partition, name, operation.apply(OptionalLong.of(id))));
        }).thenApply(transition -> {
            if (transition.writeMarkers()) {
                // Only now: the PREPARE_* record is committed, so no marker outlives a lost write.
                writeMarkers(TransactionMarkers.of(partition, transition.lastWrite()));
            }
            return transition;
        }).exceptionally(t -> Transition.fail(errorOf(t)));
    }

    /** Aborts each timed-out transaction with a write of its own; markers follow the committed prepare. */
    private void abortTimedOut(int partition, List<String> transactionalIds) {
        for (String transactionalId : transactionalIds) {
            runtime.write(partition, "abort-timed-out-transaction", shard -> shard.abortTimedOut(transactionalId))
                    .whenComplete((transition, e) -> {
                        if (e != null) {
                            log.warn("Aborting the timed-out transaction of {} failed: {}", transactionalId, e.toString());
                        } else if (transition.writeMarkers()) {
                            writeMarkers(TransactionMarkers.of(partition, transition.lastWrite()));
                        }
                    });
        }
    }

    /** Sends a committed prepare's markers (found on load, or just written), then completes the transaction. */
    private void writeMarkers(TransactionMarkers markers) {
        markerSender.send(markers).whenComplete((v, failure) -> {
            if (failure != null) {
                log.info("Markers of transactional id {} not written here: {}", markers.transactionalId(), failure.toString());
                return;
            }
            complete(markers);
        });
    }

    private void complete(TransactionMarkers markers) {
        int partition = markers.coordinatorPartition();
        runtime.write(partition, "complete-transaction", shard -> shard.complete(markers)).whenComplete((done, e) -> {
            if (e == null || errorOf(e) == Errors.NOT_COORDINATOR || !runtime.isActive(partition)) {
                return; // done, or a new coordinator finishes it
            }
            log.warn("Completing the transaction of {} failed ({}); trying again", markers.transactionalId(), e.toString());
            CompletableFuture.delayedExecutor(COMPLETION_RETRY_MS, TimeUnit.MILLISECONDS).execute(() -> complete(markers));
        });
    }

    @Override
    public void close() {
        runtime.close();
    }

    static Errors errorOf(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NotCoordinatorException) {
            return Errors.NOT_COORDINATOR;
        }
        return cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
    }
}

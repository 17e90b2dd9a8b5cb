package io.millrace.coordinator.txn;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator state of one {@code __transaction_state} partition: the
 * {@link TransactionMetadata} of every transactional id it owns, rebuilt by {@link #replay} (on
 * load and after each write alike; a tombstone forgets an id). Write operations return records
 * plus a {@link Transition}; once a PREPARE_COMMIT/PREPARE_ABORT record is committed, the caller
 * (the service, seeing {@link Transition#writeMarkers()} on a successful write) sends its markers,
 * and later completes it with {@link #complete}. The time-out pass writes nothing itself: it
 * hands the timed-out ids to {@code timedOut}, and the caller aborts each with
 * {@link #abortTimedOut(String)}, a write like any other, so every marker leaves only after its
 * prepare record is committed.
 *
 * <p>Lifecycle: built per partition by the runtime; {@link #onLoaded} hands every transaction
 * still PREPARE_* (a failover, a restart) to {@code markersToWrite} and starts the two
 * timers: aborting timed-out transactions, expiring idle transactional ids.
 *
 * <p>Thread-safety: none needed; every method runs on the partition's owner thread.
 */
public final class TransactionCoordinatorShard implements CoordinatorShard {
    static final String ABORT_TIMER = "abort-timed-out-transactions";
    static final String EXPIRY_TIMER = "expire-transactional-ids";

    private final Context context;
    private final TransactionCoordinatorConfig config;
    private final Consumer<TransactionMarkers> markersToWrite;
    private final Consumer<List<String>> timedOut;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();

    public TransactionCoordinatorShard(Context context, TransactionCoordinatorConfig config,
                                       Consumer<TransactionMarkers> markersToWrite,
                                       Consumer<List<String>> timedOut) {
        this.context = context;
        this.config = config;
        this.markersToWrite = markersToWrite;
        this.timedOut = timedOut;
    }

    @Override
    public void replay(long offset, long producerId, short producerEpoch, CoordinatorRecord record) {
        if (record.keyType() != TransactionRecords.KEY_TYPE) {
            return; // a record kind from a newer version: leave it in the log
        }
        if (record.isTombstone()) {
            transactions.remove(TransactionRecords.transactionalId(record));
        } else {
            TransactionMetadata metadata = TransactionRecords.metadata(record);
            transactions.put(metadata.transactionalId(), metadata);
        }
    }

    @Override
    public void onLoaded() {
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.status().isPreparing()) {
                markersToWrite.accept(TransactionMarkers.of(context.partition(), metadata));
            }
        }
        scheduleAbortTimedOut();
        scheduleExpiry();
    }

    public int partition() {
        return context.partition();
    }

    /** The metadata of {@code transactionalId}, or null. */
    public TransactionMetadata get(String transactionalId) {
        return transactions.get(transactionalId);
    }

    public Collection<TransactionMetadata> all() {
        return transactions.values();
    }

    public CoordinatorResult<Transition> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                        short expectedEpoch, OptionalLong freshProducerId) {
        return result(TransactionTransitions.initProducerId(transactions.get(transactionalId), transactionalId,
                timeoutMs, config.maxTimeoutMs(), expectedProducerId, expectedEpoch, freshProducerId, now()));
    }

    public CoordinatorResult<Transition> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                                       Set<TopicPartition> partitions) {
        return result(TransactionTransitions.addPartitions(transactions.get(transactionalId), producerId, producerEpoch,
                partitions, now()));
    }

    /** KIP-890 part 1: whether each partition is in the producer's ongoing transaction; changes nothing. */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short producerEpoch,
                                                        Set<TopicPartition> partitions) {
        TransactionMetadata current = transactions.get(transactionalId);
        Errors error = TransactionTransitions.verifyProducer(current, producerId, producerEpoch);
        Map<TopicPartition, Errors> errors = new HashMap<>();
        for (TopicPartition partition : partitions) {
            errors.put(partition, error != Errors.NONE ? error : TransactionTransitions.verifyPartition(current, partition));
        }
        return errors;
    }

    public CoordinatorResult<Transition> endTransaction(String transactionalId, long producerId, short producerEpoch,
                                                        boolean commit, boolean transactionVersion2,
                                                        OptionalLong freshProducerId) {
        return result(EndTransactionTransitions.endTransaction(transactions.get(transactionalId), producerId,
                producerEpoch, commit, transactionVersion2, freshProducerId, now()));
    }

    /**
     * The markers of {@code markers} are written: COMPLETE_COMMIT/COMPLETE_ABORT, unless the
     * transaction moved on meanwhile (then nothing).
     */
    public CoordinatorResult<Boolean> complete(TransactionMarkers markers) {
        TransactionMetadata current = transactions.get(markers.transactionalId());
        if (current == null || !current.status().isPreparing() || current.producerId() != markers.producerId()
                || current.producerEpoch() != markers.producerEpoch()
                || (current.status() == TransactionStatus.PREPARE_COMMIT) != markers.commit()) {
            return CoordinatorResult.of(false);
        }
        TransactionMetadata completed = TransactionTransitions.complete(current, now());
        return new CoordinatorResult<>(List.of(TransactionRecords.record(completed)), true);
    }

    /** The time-out pass, as its timer runs it: hands the ids of ONGOING transactions past their timeout to {@code timedOut}. */
    public CoordinatorResult<Void> findTimedOut() {
        long now = now();
        List<String> ids = transactions.values().stream().filter(m -> m.hasTimedOut(now))
                .map(TransactionMetadata::transactionalId).toList();
        if (!ids.isEmpty()) {
            context.journal().afterCommit(() -> timedOut.accept(ids));
        }
        return CoordinatorResult.of(null);
    }

    /** Fences and aborts {@code transactionalId}'s transaction if it is still ONGOING past its timeout. */
    public CoordinatorResult<Transition> abortTimedOut(String transactionalId) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null || !current.hasTimedOut(now())) {
            return CoordinatorResult.of(Transition.fail(Errors.NONE));
        }
        TransactionMetadata prepared = TransactionTransitions.fenceAndAbort(current, now());
        return result(Transition.prepare(prepared, Errors.NONE, prepared.producerId(), prepared.producerEpoch()));
    }

    /** The expiry pass, as its timer runs it: ids idle longer than transactional.id.expiration.ms are forgotten. */
    public CoordinatorResult<Void> expireTransactionalIds() {
        long now = now();
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.status().isIdle()
                    && metadata.lastUpdateTimestamp() + config.transactionalIdExpirationMs() <= now) {
                tombstones.add(TransactionRecords.tombstone(metadata.transactionalId()));
            }
        }
        return new CoordinatorResult<>(tombstones, null);
    }

    private CoordinatorResult<Transition> result(Transition transition) {
        List<CoordinatorRecord> records = new ArrayList<>();
        for (TransactionMetadata next : transition.writes()) {
            records.add(TransactionRecords.record(next));
        }
        return new CoordinatorResult<>(records, transition);
    }

    private void scheduleAbortTimedOut() {
        context.timer().schedule(ABORT_TIMER, config.abortTimedOutIntervalMs(), () -> {
            scheduleAbortTimedOut();
            return findTimedOut();
        });
    }

    private void scheduleExpiry() {
        context.timer().schedule(EXPIRY_TIMER, config.removeExpiredIntervalMs(), () -> {
            scheduleExpiry();
            return expireTransactionalIds();
        });
    }

    private long now() {
        return context.time().milliseconds();
    }
}

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
 * plus a {@link Transition}; once a PREPARE_COMMIT/PREPARE_ABORT record a request wrote is
 * committed, the caller (the service, seeing {@link Transition#writeMarkers()} on a successful
 * write) sends its markers, and later completes it with {@link #complete}. Transactions the
 * time-out pass aborts are handed to {@code markersToWrite} by the shard itself, as a side effect
 * after commit (which the runtime also runs when the commit failed; the sender then stops once
 * this node no longer coordinates the partition).
 *
 * <p>Lifecycle: built per partition by the runtime; {@link #onLoaded} hands every transaction
 * still PREPARE_* (a failover, a restart) to {@code markersToWrite} again and starts the two
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
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();

    public TransactionCoordinatorShard(Context context, TransactionCoordinatorConfig config,
                                       Consumer<TransactionMarkers> markersToWrite) {
        this.context = context;
        this.config = config;
        this.markersToWrite = markersToWrite;
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

    /** The time-out pass, as its timer runs it: every ONGOING transaction past its timeout is fenced and aborted. */
    public CoordinatorResult<Void> abortTimedOut() {
        List<CoordinatorRecord> records = new ArrayList<>();
        for (TransactionMetadata prepared : TransactionTransitions.abortTimedOut(transactions.values(), now())) {
            records.add(TransactionRecords.record(prepared));
            afterCommitWriteMarkers(prepared);
        }
        return new CoordinatorResult<>(records, null);
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

    private void afterCommitWriteMarkers(TransactionMetadata prepared) {
        TransactionMarkers markers = TransactionMarkers.of(context.partition(), prepared);
        context.journal().afterCommit(() -> markersToWrite.accept(markers));
    }

    private void scheduleAbortTimedOut() {
        context.timer().schedule(ABORT_TIMER, config.abortTimedOutIntervalMs(), () -> {
            scheduleAbortTimedOut();
            return abortTimedOut();
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

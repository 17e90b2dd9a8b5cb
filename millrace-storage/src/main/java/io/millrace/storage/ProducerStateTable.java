package io.millrace.storage;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import io.millrace.wire.batch.TransactionMarker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;

/**
 * The idempotent and transactional producers of one partition, by producer id, and the
 * transactions that keep the last stable offset (LSO) down. State changes only through
 * {@link #replay}, which applies a batch that is in the log: the leader after writing, the
 * follower after copying, and recovery when scanning the log after the last snapshot all take
 * this same path. Checking a new batch against the state is {@link ProducerSequenceCheck}'s job,
 * checking a new marker {@link #checkMarker}'s.
 *
 * <p>Transactions (KIP-98): a transactional data batch opens its producer's transaction at its
 * base offset when none is open; a COMMIT or ABORT control batch of that producer ends it. An
 * ended transaction stays <em>unstable</em> until the high watermark passes its marker
 * ({@link #onHighWatermark}), so the first unstable offset is the smallest first offset of the
 * open transactions and of the ended ones whose marker is not yet replicated.
 *
 * <p>Not thread-safe: guarded by the owning log's append lock.
 */
final class ProducerStateTable {

    /** A transaction a marker ended. */
    record CompletedTransaction(long producerId, long firstOffset, long lastOffset, boolean aborted) {
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** Open transactions: first offset to producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /** Ended transactions whose marker is at or above the high watermark: first offset to marker offset. */
    private final TreeMap<Long, Long> unreplicated = new TreeMap<>();

    ProducerEntry get(long producerId) {
        return producers.get(producerId);
    }

    /**
     * Applies a batch that is now in the log (its header carries the assigned offsets; a control
     * batch's records must be in the header's buffer too).
     *
     * @return the transaction the batch ended, or null
     */
    CompletedTransaction replay(RecordBatchHeader batch) {
        long producerId = batch.producerId();
        if (producerId == RecordBatchHeader.NO_PRODUCER_ID) {
            return null;
        }
        short epoch = batch.producerEpoch();
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(id, epoch));
        if (batch.isControl()) {
            entry.applyMarker(epoch, batch.maxTimestamp());
            TransactionMarker marker = KafkaRecords.readTransactionMarker(batch);
            return marker == null ? null : endTransaction(entry, marker, batch.lastOffset());
        }
        entry.addBatch(epoch, new ProducerBatch(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                batch.lastOffset(), batch.maxTimestamp()));
        // An empty batch is what the cleaner leaves of a producer's last batch: it opens nothing.
        if (batch.isTransactional() && batch.recordsCount() > 0
                && entry.ongoingTxnFirstOffset() == ProducerEntry.NO_TRANSACTION) {
            entry.setOngoingTxnFirstOffset(batch.baseOffset());
            ongoing.put(batch.baseOffset(), producerId);
        }
        return null;
    }

    private CompletedTransaction endTransaction(ProducerEntry entry, TransactionMarker marker, long markerOffset) {
        entry.setCoordinatorEpoch(marker.coordinatorEpoch());
        long first = entry.ongoingTxnFirstOffset();
        if (first == ProducerEntry.NO_TRANSACTION) {
            return null; // a marker repeated, or for a transaction that wrote nothing here
        }
        entry.setOngoingTxnFirstOffset(ProducerEntry.NO_TRANSACTION);
        ongoing.remove(first);
        unreplicated.put(first, markerOffset);
        return new CompletedTransaction(entry.producerId(), first, markerOffset, !marker.commit());
    }

    /**
     * Checks a marker the leader is about to write, as Kafka's log layer does: an older producer
     * epoch than the partition knows is INVALID_PRODUCER_EPOCH, an older coordinator epoch than
     * the last marker's is TRANSACTION_COORDINATOR_FENCED.
     */
    void checkMarker(long producerId, short producerEpoch, int coordinatorEpoch, TopicPartition partition) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return;
        }
        if (producerEpoch < entry.epoch()) {
            throw new InvalidProducerEpochException("A marker for producer " + producerId + " at epoch "
                    + producerEpoch + " to " + partition + " is older than its current epoch " + entry.epoch());
        }
        if (coordinatorEpoch < entry.coordinatorEpoch()) {
            throw new TransactionCoordinatorFencedException("A marker for producer " + producerId
                    + " from coordinator epoch " + coordinatorEpoch + " to " + partition
                    + " is older than the last one's, " + entry.coordinatorEpoch());
        }
    }

    /** The high watermark reached {@code highWatermark}: transactions whose marker is below it are stable. */
    void onHighWatermark(long highWatermark) {
        unreplicated.values().removeIf(markerOffset -> markerOffset < highWatermark);
    }

    /** The smallest first offset of an open or not yet stable transaction, or Long.MAX_VALUE. */
    long firstUnstableOffset() {
        long first = Long.MAX_VALUE;
        if (!ongoing.isEmpty()) {
            first = ongoing.firstKey();
        }
        if (!unreplicated.isEmpty()) {
            first = Math.min(first, unreplicated.firstKey());
        }
        return first;
    }

    /** The last stable offset an aborted-index entry records for {@code ended}: the oldest open transaction's start, else after its marker. */
    long lastStableOffsetAfter(CompletedTransaction ended) {
        return ongoing.isEmpty() ? ended.lastOffset() + 1 : Math.min(ongoing.firstKey(), ended.lastOffset() + 1);
    }

    /** Every producer known here, for DescribeProducers. */
    List<ActiveProducer> activeProducers() {
        List<ActiveProducer> active = new ArrayList<>(producers.size());
        for (ProducerEntry e : producers.values()) {
            active.add(new ActiveProducer(e.producerId(), e.epoch(), e.lastSequence(), e.lastTimestamp(),
                    e.coordinatorEpoch(), e.ongoingTxnFirstOffset()));
        }
        return active;
    }

    /**
     * Forgets the producers idle for {@code expirationMs} (last batch or marker older than that)
     * without an open transaction, as Kafka's {@code producer.id.expiration.ms}; such a producer
     * writing again is a new producer here (its next batch must start at sequence 0).
     *
     * @return how many were removed
     */
    int removeExpired(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(e -> e.ongoingTxnFirstOffset() == ProducerEntry.NO_TRANSACTION
                && nowMs - e.lastTimestamp() >= expirationMs);
        return before - producers.size();
    }

    /** Adds an entry read from a snapshot. */
    void put(ProducerEntry entry) {
        producers.put(entry.producerId(), entry);
        if (entry.ongoingTxnFirstOffset() != ProducerEntry.NO_TRANSACTION) {
            ongoing.put(entry.ongoingTxnFirstOffset(), entry.producerId());
        }
    }

    Collection<ProducerEntry> entries() {
        return List.copyOf(producers.values());
    }

    /** For each producer, the last offset of the last batch it wrote here. */
    Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> last = new HashMap<>();
        for (ProducerEntry entry : producers.values()) {
            List<ProducerBatch> batches = entry.batches();
            if (!batches.isEmpty()) {
                last.put(entry.producerId(), batches.get(batches.size() - 1).lastOffset());
            }
        }
        return last;
    }

    int size() {
        return producers.size();
    }

    void clear() {
        producers.clear();
        ongoing.clear();
        unreplicated.clear();
    }
}

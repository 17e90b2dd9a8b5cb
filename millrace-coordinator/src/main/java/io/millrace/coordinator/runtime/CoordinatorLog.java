package io.millrace.coordinator.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a coordinator shard's records become durable: its partition of the coordinator's topic
 * ({@code __consumer_offsets}, later {@code __transaction_state}). The server implements it over
 * its partition logs; tests use an in-memory list.
 *
 * <p>Thread-safety: called from the owner thread of each shard, so never twice at once for one
 * partition, but concurrently for different partitions. The futures it returns may complete on
 * any thread.
 */
public interface CoordinatorLog {

    /**
     * Appends {@code records} to this node's replica of {@code partition} as one batch of
     * {@code producer} (the coordinator's own, or a transactional producer's: then the producer id,
     * epoch and transactional flag are in the batch header, as Kafka's coordinator writes a
     * TxnOffsetCommit), without waiting for replication, and says where they went and when they are
     * committed.
     *
     * @return the offset of the first record (the others follow one by one) and a future that
     *         completes once the high watermark has passed the batch, or exceptionally with the
     *         coordinator error to answer (NOT_COORDINATOR when this node stopped leading the
     *         partition, COORDINATOR_NOT_AVAILABLE when it was not replicated in time)
     * @throws org.apache.kafka.common.errors.ApiException when nothing was appended, with the
     *         coordinator error to answer: NOT_COORDINATOR when this node does not lead the
     *         partition, COORDINATOR_NOT_AVAILABLE when it cannot be written,
     *         INVALID_COMMIT_OFFSET_SIZE when the batch is too large; for a transactional batch
     *         also INVALID_PRODUCER_EPOCH when the producer's epoch in the partition is newer
     */
    Appended append(int partition, BatchProducer producer, List<CoordinatorRecord> records);

    /** The coordinator's own records ({@link BatchProducer#NONE}); see {@link #append(int, BatchProducer, List)}. */
    default Appended append(int partition, List<CoordinatorRecord> records) {
        return append(partition, BatchProducer.NONE, records);
    }

    /**
     * Appends a COMMIT or ABORT marker of {@code producerId}'s transaction to this node's replica of
     * {@code partition} (what WriteTxnMarkers asks of a coordinator partition), without waiting for
     * replication.
     *
     * @return the marker's offset and a future that completes once the high watermark has passed
     *         it, or exceptionally with the partition error (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, ...)
     * @throws org.apache.kafka.common.errors.ApiException when nothing was appended, with the
     *         partition error Kafka answers for a marker (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS,
     *         INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED, KAFKA_STORAGE_ERROR)
     */
    Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch, int coordinatorEpoch,
                                        TransactionMarker marker);

    /** Reads every record and transaction marker of {@code partition} from the log start, in order. */
    void readAll(int partition, RecordSink sink);

    /** Where an append went and when it is committed. */
    record Appended(long baseOffset, CompletableFuture<Void> committed) {
    }

    /** Receives what a load reads, in log order. */
    interface RecordSink {
        /** One record; {@code producerId} is -1 (and {@code producerEpoch} -1) unless written by a producer. */
        void record(long offset, long producerId, short producerEpoch, CoordinatorRecord record);

        /** A COMMIT or ABORT control record of {@code producerId}'s transaction. */
        void endTransactionMarker(long offset, long producerId, short producerEpoch, TransactionMarker marker);
    }
}

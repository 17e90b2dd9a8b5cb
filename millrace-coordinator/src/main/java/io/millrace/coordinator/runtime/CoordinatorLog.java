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
     * Appends {@code records} to this node's replica of {@code partition} as one batch, without
     * waiting for replication, and says where they went and when they are committed.
     *
     * @return the offset of the first record (the others follow one by one) and a future that
     *         completes once the high watermark has passed the batch, or exceptionally with the
     *         coordinator error to answer (NOT_COORDINATOR when this node stopped leading the
     *         partition, COORDINATOR_NOT_AVAILABLE when it was not replicated in time)
     * @throws org.apache.kafka.common.errors.ApiException when nothing was appended, with the
     *         coordinator error to answer: NOT_COORDINATOR when this node does not lead the
     *         partition, COORDINATOR_NOT_AVAILABLE when it cannot be written,
     *         INVALID_COMMIT_OFFSET_SIZE when the batch is too large
     */
    Appended append(int partition, List<CoordinatorRecord> records);

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

package io.millrace.coordinator.txn;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The COMMIT or ABORT markers one prepared transaction needs: written by {@code producerId} at
 * {@code producerEpoch} (the epoch of the PREPARE_* record) to every partition of the transaction,
 * on behalf of {@code __transaction_state} partition {@code coordinatorPartition}. Immutable.
 */
public record TransactionMarkers(int coordinatorPartition, String transactionalId, long producerId,
                                 short producerEpoch, boolean commit, Set<TopicPartition> partitions) {
    public TransactionMarkers {
        partitions = Set.copyOf(partitions);
    }

    static TransactionMarkers of(int coordinatorPartition, TransactionMetadata prepared) {
        return new TransactionMarkers(coordinatorPartition, prepared.transactionalId(), prepared.producerId(),
                prepared.producerEpoch(), prepared.status() == TransactionStatus.PREPARE_COMMIT, prepared.partitions());
    }
}

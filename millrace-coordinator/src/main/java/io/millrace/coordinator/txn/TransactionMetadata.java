package io.millrace.coordinator.txn;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the transaction coordinator knows of one transactional id: the value its
 * {@code __transaction_state} record holds (see {@link TransactionRecords}). Immutable: a
 * transition builds the next value, which is written, then replayed.
 *
 * @param producerId          the producer id the current producer writes with
 * @param previousProducerId  the producer id before the last rotation (-1 if none), so a retry of
 *                            the request that rotated it is recognised
 * @param nextProducerId      the producer id to switch to once the transaction in PREPARE_* completes
 *                            (transaction version 2, epoch exhausted), else -1
 * @param producerEpoch       the current epoch (-1 before the first InitProducerId)
 * @param lastProducerEpoch   the epoch before the last bump, for KIP-360 retries (-1 if none)
 * @param partitions          the partitions of the ongoing (or completing) transaction
 * @param startTimestamp      when the transaction began (first partition added), -1 if none
 * @param lastUpdateTimestamp when the metadata last changed
 * @param clientTransactionVersion 1 or 2 (KIP-890 part 2: the epoch is bumped at every end); 0 until
 *                            the first EndTxn says
 */
public record TransactionMetadata(String transactionalId, long producerId, long previousProducerId,
                                  long nextProducerId, short producerEpoch, short lastProducerEpoch, int timeoutMs,
                                  TransactionStatus status, Set<TopicPartition> partitions, long startTimestamp,
                                  long lastUpdateTimestamp, short clientTransactionVersion) {
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** Kafka's threshold: the last epochs are kept for fencing, so a producer id is rotated before them. */
    public static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    public boolean isEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    /** Whether transaction version 2 rules (epoch bump at every end) apply to this id. */
    public boolean bumpsEpochAtEnd() {
        return clientTransactionVersion >= 2;
    }

    /**
     * The same metadata in {@code next} status with the given fields.
     *
     * @throws IllegalStateException when {@code next} may not follow the current status
     */
    public TransactionMetadata transitionTo(TransactionStatus next, long newProducerId, long newPreviousProducerId,
                                            long newNextProducerId, short newEpoch, short newLastEpoch, int newTimeoutMs,
                                            Set<TopicPartition> newPartitions, long newStartTimestamp, long now,
                                            short newClientTransactionVersion) {
        if (!next.canFollow(status)) {
            throw new IllegalStateException("Transactional id " + transactionalId + " cannot go from " + status
                    + " to " + next);
        }
        return new TransactionMetadata(transactionalId, newProducerId, newPreviousProducerId, newNextProducerId,
                newEpoch, newLastEpoch, newTimeoutMs, next, newPartitions, newStartTimestamp, now,
                newClientTransactionVersion);
    }

    /** A transition that keeps the producer ids and timeout. */
    public TransactionMetadata transitionTo(TransactionStatus next, short newEpoch, short newLastEpoch,
                                            Set<TopicPartition> newPartitions, long newStartTimestamp, long now) {
        return transitionTo(next, producerId, previousProducerId, nextProducerId, newEpoch, newLastEpoch, timeoutMs,
                newPartitions, newStartTimestamp, now, clientTransactionVersion);
    }

    /** ONGOING with {@code added} joined to the partitions; the transaction starts now if none was open. */
    public TransactionMetadata withPartitionsAdded(Set<TopicPartition> added, long now) {
        Set<TopicPartition> all = new HashSet<>(partitions);
        all.addAll(added);
        long start = status == TransactionStatus.ONGOING ? startTimestamp : now;
        return transitionTo(TransactionStatus.ONGOING, producerEpoch, lastProducerEpoch, all, start, now);
    }

    /** Whether an ONGOING transaction has run longer than its timeout at {@code now}. */
    public boolean hasTimedOut(long now) {
        return status == TransactionStatus.ONGOING && startTimestamp >= 0 && startTimestamp + timeoutMs <= now;
    }
}

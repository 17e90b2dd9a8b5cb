package io.millrace.coordinator.txn;

import static io.millrace.coordinator.txn.TransactionMetadata.NO_PRODUCER_EPOCH;
import static io.millrace.coordinator.txn.TransactionMetadata.NO_PRODUCER_ID;

import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator's decisions, as Apache Kafka's answers them: given what is known of
 * a transactional id (null when unknown) and a request, the {@link Transition} to make. Pure: no
 * clock (callers pass {@code now}), no I/O, no state; unit-tested row by row.
 *
 * <p>Transaction version 1 (EndTxn before v5) keeps the epoch across transactions; version 2
 * (EndTxn v5+, KIP-890 part 2) bumps it at every end and rotates to a new producer id when the
 * epoch is exhausted. Fencing an ONGOING transaction (a new producer, or the time-out) bumps the
 * epoch once and aborts; those markers carry the bumped epoch.
 */
public final class TransactionTransitions {
    private TransactionTransitions() {
    }

    /**
     * InitProducerId with a transactional id. {@code expectedProducerId}/{@code expectedEpoch} are
     * the KIP-360 fields (-1/-1 when absent); {@code freshProducerId} a newly allocated id if the
     * caller has one.
     */
    public static Transition initProducerId(TransactionMetadata current, String transactionalId, int timeoutMs,
                                            int maxTimeoutMs, long expectedProducerId, short expectedEpoch,
                                            OptionalLong freshProducerId, long now) {
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            return Transition.fail(Errors.INVALID_TRANSACTION_TIMEOUT);
        }
        boolean expected = expectedProducerId != NO_PRODUCER_ID || expectedEpoch != NO_PRODUCER_EPOCH;
        if (expected && (expectedProducerId == NO_PRODUCER_ID || expectedEpoch == NO_PRODUCER_EPOCH)) {
            return Transition.fail(Errors.INVALID_REQUEST);
        }
        if (current == null) {
            if (freshProducerId.isEmpty()) {
                return Transition.needProducerId();
            }
            TransactionMetadata created = new TransactionMetadata(transactionalId, freshProducerId.getAsLong(),
                    NO_PRODUCER_ID, NO_PRODUCER_ID, (short) 0, NO_PRODUCER_EPOCH, timeoutMs, TransactionStatus.EMPTY,
                    Set.of(), -1, now, (short) 0);
            return Transition.write(created, created.producerId(), created.producerEpoch());
        }
        if (expected && !(current.producerEpoch() == NO_PRODUCER_EPOCH
                || expectedProducerId == current.producerId()
                || (expectedProducerId == current.previousProducerId()
                    && TransactionMetadata.isEpochExhausted(expectedEpoch)))) {
            return Transition.fail(Errors.PRODUCER_FENCED);
        }
        return switch (current.status()) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE, DEAD -> Transition.fail(Errors.CONCURRENT_TRANSACTIONS);
            case ONGOING -> Transition.prepare(fenceAndAbort(current, now), Errors.CONCURRENT_TRANSACTIONS,
                    NO_PRODUCER_ID, NO_PRODUCER_EPOCH);
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> bumpIdle(current, timeoutMs, expected, expectedEpoch,
                    freshProducerId, now);
        };
    }

    private static Transition bumpIdle(TransactionMetadata current, int timeoutMs, boolean expected, short expectedEpoch,
                                       OptionalLong freshProducerId, long now) {
        if (current.isEpochExhausted() && (!expected || expectedEpoch == current.producerEpoch())) {
            if (freshProducerId.isEmpty()) {
                return Transition.needProducerId();
            }
            TransactionMetadata rotated = current.transitionTo(TransactionStatus.EMPTY, freshProducerId.getAsLong(),
                    current.producerId(), NO_PRODUCER_ID, (short) 0,
                    expected ? current.producerEpoch() : NO_PRODUCER_EPOCH, timeoutMs, Set.of(), -1, now,
                    current.clientTransactionVersion());
            return Transition.write(rotated, rotated.producerId(), rotated.producerEpoch());
        }
        short epoch;
        short lastEpoch;
        if (!expected) {
            epoch = (short) (current.producerEpoch() + 1);
            lastEpoch = NO_PRODUCER_EPOCH;
        } else if (current.producerEpoch() == NO_PRODUCER_EPOCH || expectedEpoch == current.producerEpoch()) {
            epoch = (short) (current.producerEpoch() + 1);
            lastEpoch = current.producerEpoch();
        } else if (expectedEpoch == current.lastProducerEpoch()) {
            // A retry of a bump whose answer was lost: the same id and epoch again.
            epoch = current.producerEpoch();
            lastEpoch = current.lastProducerEpoch();
        } else {
            return Transition.fail(Errors.PRODUCER_FENCED);
        }
        TransactionMetadata bumped = current.transitionTo(TransactionStatus.EMPTY, current.producerId(),
                current.previousProducerId(), NO_PRODUCER_ID, epoch, lastEpoch, timeoutMs, Set.of(), -1, now,
                current.clientTransactionVersion());
        return Transition.write(bumped, bumped.producerId(), bumped.producerEpoch());
    }

    /**
     * Fences the producer of an ONGOING transaction (epoch + 1, through PREPARE_EPOCH_FENCE) and
     * prepares its abort; only the PREPARE_ABORT value is written.
     */
    public static TransactionMetadata fenceAndAbort(TransactionMetadata ongoing, long now) {
        short fenced = ongoing.producerEpoch() == Short.MAX_VALUE ? Short.MAX_VALUE : (short) (ongoing.producerEpoch() + 1);
        TransactionMetadata fence = ongoing.transitionTo(TransactionStatus.PREPARE_EPOCH_FENCE, fenced, NO_PRODUCER_EPOCH,
                ongoing.partitions(), ongoing.startTimestamp(), now);
        return fence.transitionTo(TransactionStatus.PREPARE_ABORT, fenced, NO_PRODUCER_EPOCH, fence.partitions(),
                fence.startTimestamp(), now);
    }

    /** AddPartitionsToTxn / AddOffsetsToTxn: the partitions join the transaction (which begins if none is open). */
    public static Transition addPartitions(TransactionMetadata current, long producerId, short producerEpoch,
                                           Set<TopicPartition> partitions, long now) {
        Errors error = checkProducer(current, producerId, producerEpoch);
        if (error != Errors.NONE) {
            return Transition.fail(error);
        }
        if (!current.status().isIdle() && current.status() != TransactionStatus.ONGOING) {
            return Transition.fail(Errors.CONCURRENT_TRANSACTIONS);
        }
        if (current.status() == TransactionStatus.ONGOING && current.partitions().containsAll(partitions)) {
            return Transition.answer(producerId, producerEpoch);
        }
        return Transition.write(current.withPartitionsAdded(partitions, now), producerId, producerEpoch);
    }

    /**
     * The KIP-890 part 1 check a partition leader makes before a transactional write: the
     * request's error (NONE when the producer is current), and per partition NONE when it is in the
     * transaction, TRANSACTION_ABORTABLE otherwise. Adds nothing.
     */
    public static Errors verifyProducer(TransactionMetadata current, long producerId, short producerEpoch) {
        Errors error = checkProducer(current, producerId, producerEpoch);
        if (error == Errors.NONE && current.status().isPreparing()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        return error;
    }

    public static Errors verifyPartition(TransactionMetadata current, TopicPartition partition) {
        return current.partitions().contains(partition) ? Errors.NONE : Errors.TRANSACTION_ABORTABLE;
    }

    private static Errors checkProducer(TransactionMetadata current, long producerId, short producerEpoch) {
        if (current == null || current.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (current.producerEpoch() != producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        return Errors.NONE;
    }

    /** The transaction's markers are written: COMPLETE_COMMIT/ABORT, partitions cleared, a pending producer id taken. */
    public static TransactionMetadata complete(TransactionMetadata prepared, long now) {
        TransactionStatus done = prepared.status() == TransactionStatus.PREPARE_COMMIT
                ? TransactionStatus.COMPLETE_COMMIT : TransactionStatus.COMPLETE_ABORT;
        boolean rotate = prepared.nextProducerId() != NO_PRODUCER_ID;
        return prepared.transitionTo(done, rotate ? prepared.nextProducerId() : prepared.producerId(),
                rotate ? prepared.producerId() : prepared.previousProducerId(), NO_PRODUCER_ID,
                rotate ? 0 : prepared.producerEpoch(), prepared.producerEpoch(), prepared.timeoutMs(), Set.of(),
                prepared.startTimestamp(), now, prepared.clientTransactionVersion());
    }

}

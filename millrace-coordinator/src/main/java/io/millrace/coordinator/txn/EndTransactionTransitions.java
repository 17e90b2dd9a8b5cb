package io.millrace.coordinator.txn;

import static io.millrace.coordinator.txn.TransactionMetadata.NO_PRODUCER_ID;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * EndTxn's decisions, as Apache Kafka answers them. Pure and stateless, like {@link TransactionTransitions}.
 *
 * <p>Transaction version 1 (EndTxn v0–4): the epoch must match; ONGOING goes to PREPARE_COMMIT or
 * PREPARE_ABORT (answered once written, markers follow); a retry of a completed decision answers
 * NONE; the same decision while it completes answers CONCURRENT_TRANSACTIONS; anything else
 * INVALID_TXN_STATE. Transaction version 2 (EndTxn v5+): every end bumps the epoch (a new producer
 * id, taken at completion, when it is exhausted), the answer carries the new id and epoch, a retry
 * with the epoch before the bump answers NONE with the current ones, and an abort without a
 * transaction (EMPTY, COMPLETE_*) is allowed: it writes PREPARE_ABORT and COMPLETE_ABORT at once.
 */
public final class EndTransactionTransitions {
    private EndTransactionTransitions() {
    }

    public static Transition endTransaction(TransactionMetadata current, long producerId, short producerEpoch,
                                            boolean commit, boolean transactionVersion2,
                                            OptionalLong freshProducerId, long now) {
        if (current == null) {
            return Transition.fail(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        TransactionStatus status = current.status();
        boolean retryOfBump = transactionVersion2 && current.producerEpoch() == producerEpoch + 1
                && current.producerId() == producerId;
        boolean retryOfRotation = transactionVersion2 && current.previousProducerId() == producerId
                && producerEpoch == Short.MAX_VALUE - 1 && current.producerEpoch() == 0;
        if (current.producerId() != producerId && !retryOfRotation) {
            return Transition.fail(Errors.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean sameEpoch = current.producerId() == producerId && current.producerEpoch() == producerEpoch;
        boolean validEpoch = !transactionVersion2 ? sameEpoch : switch (status) {
            case ONGOING, EMPTY -> sameEpoch;
            case PREPARE_COMMIT, PREPARE_ABORT -> retryOfBump;
            case COMPLETE_COMMIT, COMPLETE_ABORT -> retryOfBump || retryOfRotation || sameEpoch;
            case DEAD, PREPARE_EPOCH_FENCE -> false;
        };
        if (!validEpoch) {
            return Transition.fail(Errors.PRODUCER_FENCED);
        }
        TransactionStatus completed = commit ? TransactionStatus.COMPLETE_COMMIT : TransactionStatus.COMPLETE_ABORT;
        TransactionStatus preparing = commit ? TransactionStatus.PREPARE_COMMIT : TransactionStatus.PREPARE_ABORT;
        boolean retry = !transactionVersion2 || retryOfBump || retryOfRotation;
        return switch (status) {
            case ONGOING -> prepare(current, preparing, transactionVersion2, freshProducerId, now);
            case COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (status == completed && retry) {
                    yield Transition.answer(current.producerId(), current.producerEpoch());
                }
                yield transactionVersion2 && !commit && sameEpoch
                        ? abortWithoutTransaction(current, freshProducerId, now) : Transition.fail(Errors.INVALID_TXN_STATE);
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> Transition.fail(status == preparing
                    ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
            case EMPTY -> transactionVersion2 && !commit
                    ? abortWithoutTransaction(current, freshProducerId, now) : Transition.fail(Errors.INVALID_TXN_STATE);
            case DEAD, PREPARE_EPOCH_FENCE -> Transition.fail(Errors.CONCURRENT_TRANSACTIONS);
        };
    }

    private static Transition prepare(TransactionMetadata ongoing, TransactionStatus preparing, boolean version2,
                                      OptionalLong freshProducerId, long now) {
        if (!version2) {
            TransactionMetadata prepared = ongoing.transitionTo(preparing, ongoing.producerId(),
                    ongoing.previousProducerId(), NO_PRODUCER_ID, ongoing.producerEpoch(), ongoing.lastProducerEpoch(),
                    ongoing.timeoutMs(), ongoing.partitions(), ongoing.startTimestamp(), now, (short) 1);
            return Transition.prepare(prepared, Errors.NONE, prepared.producerId(), prepared.producerEpoch());
        }
        TransactionMetadata prepared = bumped(ongoing, preparing, ongoing.partitions(), freshProducerId, now);
        if (prepared == null) {
            return Transition.needProducerId();
        }
        return Transition.prepare(prepared, Errors.NONE, answerProducerId(prepared), answerEpoch(prepared));
    }

    /** Transaction version 2: an abort with nothing to abort still bumps the epoch; no marker to write. */
    private static Transition abortWithoutTransaction(TransactionMetadata idle, OptionalLong freshProducerId, long now) {
        TransactionMetadata prepared = bumped(idle, TransactionStatus.PREPARE_ABORT, Set.of(), freshProducerId, now);
        if (prepared == null) {
            return Transition.needProducerId();
        }
        TransactionMetadata completed = TransactionTransitions.complete(prepared, now);
        return new Transition(List.of(prepared, completed), Errors.NONE, completed.producerId(),
                completed.producerEpoch(), false, false);
    }

    /** PREPARE_X at epoch + 1, with the next producer id when that exhausts the epoch; null if an id is needed. */
    private static TransactionMetadata bumped(TransactionMetadata current, TransactionStatus preparing,
                                              Set<TopicPartition> partitions,
                                              OptionalLong freshProducerId, long now) {
        long nextProducerId = NO_PRODUCER_ID;
        if (current.isEpochExhausted()) {
            if (freshProducerId.isEmpty()) {
                return null;
            }
            nextProducerId = freshProducerId.getAsLong();
        }
        return current.transitionTo(preparing, current.producerId(), current.previousProducerId(), nextProducerId,
                (short) (current.producerEpoch() + 1), current.producerEpoch(), current.timeoutMs(), partitions,
                current.startTimestamp(), now, (short) 2);
    }

    private static long answerProducerId(TransactionMetadata prepared) {
        return prepared.nextProducerId() != NO_PRODUCER_ID ? prepared.nextProducerId() : prepared.producerId();
    }

    private static short answerEpoch(TransactionMetadata prepared) {
        return prepared.nextProducerId() != NO_PRODUCER_ID ? 0 : prepared.producerEpoch();
    }

}

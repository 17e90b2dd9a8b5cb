package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;

/**
 * Checks the batches of one append against the idempotent-producer state, before anything is
 * written. Batches earlier in the same append count as written for later ones. Rules:
 * <ul>
 * <li>no producer id: no checks;</li>
 * <li>a non-transactional batch from a producer whose transaction here is open:
 *     {@link InvalidTxnStateException}, as Kafka answers;</li>
 * <li>same epoch and same first and last sequence as one of the last five batches: a retry,
 *     reported as that batch (not written again);</li>
 * <li>epoch below the current one: {@link InvalidProducerEpochException};</li>
 * <li>unknown producer: any first sequence (its state may have expired, {@code producer.id.expiration.ms});</li>
 * <li>a higher epoch: the first sequence must be 0;</li>
 * <li>same epoch: the first sequence must follow the last one (wrapping after
 *     Integer.MAX_VALUE to 0); otherwise {@link OutOfOrderSequenceException}.</li>
 * </ul>
 * For a {@link AppendOrigin#COORDINATOR} append (a coordinator writing in a producer's name, without
 * sequences that mean anything: Kafka's coordinator writes 0) only the transaction state and the epoch are checked, as Kafka does.
 *
 * <p>As Kafka, a producer this partition does not know may start at any sequence: its state may
 * have been removed by producer expiry after {@code producer.id.expiration.ms} of idleness, and
 * refusing it would fail the idle producer's next batch with OUT_OF_ORDER_SEQUENCE_NUMBER.
 *
 * <p>Not thread-safe: one per append, under the log's append lock.
 */
final class ProducerSequenceCheck {

    private record Pending(short epoch, int lastSeq) {
    }

    private final ProducerStateTable table;
    private final TopicPartition partition;
    private final boolean checkSequences;
    private Map<Long, Pending> pending;

    ProducerSequenceCheck(ProducerStateTable table, TopicPartition partition) {
        this(table, partition, AppendOrigin.CLIENT);
    }

    ProducerSequenceCheck(ProducerStateTable table, TopicPartition partition, AppendOrigin origin) {
        this.table = table;
        this.partition = partition;
        this.checkSequences = origin == AppendOrigin.CLIENT;
    }

    /**
     * @return the stored batch that {@code batch} repeats, or null when it is new and in order
     */
    ProducerBatch check(RecordBatchHeader batch) {
        long producerId = batch.producerId();
        if (producerId == RecordBatchHeader.NO_PRODUCER_ID) {
            return null;
        }
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        int lastSeq = batch.lastSequence();
        Pending earlier = pending == null ? null : pending.get(producerId);
        ProducerEntry entry = table.get(producerId);

        short currentEpoch;
        int currentLastSeq;
        if (earlier != null) {
            currentEpoch = earlier.epoch();
            currentLastSeq = earlier.lastSeq();
        } else if (entry != null) {
            ProducerBatch duplicate = checkSequences ? entry.findDuplicate(epoch, firstSeq, lastSeq) : null;
            if (duplicate != null) {
                return duplicate;
            }
            currentEpoch = entry.epoch();
            currentLastSeq = entry.lastSequence();
        } else {
            currentEpoch = RecordBatchHeader.NO_PRODUCER_EPOCH;
            currentLastSeq = RecordBatchHeader.NO_SEQUENCE;
        }

        if (!batch.isTransactional() && entry != null
                && entry.ongoingTxnFirstOffset() != ProducerEntry.NO_TRANSACTION) {
            throw new InvalidTxnStateException("Producer " + producerId + " sent a non-transactional batch to "
                    + partition + " while its transaction from offset " + entry.ongoingTxnFirstOffset() + " is open");
        }
        if (earlier != null || entry != null) {
            if (epoch < currentEpoch) {
                throw new InvalidProducerEpochException("Producer " + producerId + " sent epoch " + epoch
                        + " to " + partition + " but its current epoch is " + currentEpoch);
            }
        }
        if (checkSequences && (earlier != null || entry != null)) {
            checkSequence(producerId, epoch, firstSeq,
                    (earlier != null || entry != null) && epoch == currentEpoch, currentLastSeq);
        }
        if (pending == null) {
            pending = new HashMap<>(4);
        }
        pending.put(producerId, new Pending(epoch, lastSeq));
        return null;
    }

    private void checkSequence(long producerId, short epoch, int firstSeq, boolean sameEpoch, int currentLastSeq) {
        if (!sameEpoch || currentLastSeq == RecordBatchHeader.NO_SEQUENCE) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("Producer " + producerId + " (epoch " + epoch + ") sent sequence "
                        + firstSeq + " to " + partition + " where a new producer or epoch must start at 0");
            }
        } else if (firstSeq != RecordBatchHeader.incrementSequence(currentLastSeq, 1)) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " (epoch " + epoch + ") sent sequence "
                    + firstSeq + " to " + partition + " but the next expected is "
                    + RecordBatchHeader.incrementSequence(currentLastSeq, 1));
        }
    }
}

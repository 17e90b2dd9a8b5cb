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
 * <li>unknown producer, or a higher epoch: the first sequence must be 0;</li>
 * <li>same epoch: the first sequence must follow the last one (wrapping after
 *     Integer.MAX_VALUE to 0); otherwise {@link OutOfOrderSequenceException}.</li>
 * </ul>
 * Unlike Kafka, which accepts any sequence from a producer it has no state for (its state may
 * have been removed with old segments), we keep producer state across retention and require 0.
 *
 * <p>Not thread-safe: one per append, under the log's append lock.
 */
final class ProducerSequenceCheck {

    private record Pending(short epoch, int lastSeq) {
    }

    private final ProducerStateTable table;
    private final TopicPartition partition;
    private Map<Long, Pending> pending;

    ProducerSequenceCheck(ProducerStateTable table, TopicPartition partition) {
        this.table = table;
        this.partition = partition;
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
            ProducerBatch duplicate = entry.findDuplicate(epoch, firstSeq, lastSeq);
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
        boolean sameEpoch = (earlier != null || entry != null) && epoch == currentEpoch;
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
        if (pending == null) {
            pending = new HashMap<>(4);
        }
        pending.put(producerId, new Pending(epoch, lastSeq));
        return null;
    }
}

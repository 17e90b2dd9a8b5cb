package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a leader append will write, decided under the append lock once the producer sequences
 * are checked: which batches are retries of stored ones (skipped), and the size, offset count,
 * record count and largest timestamp of the rest.
 *
 * <p>Not thread-safe: one per append.
 */
final class AppendPlan {
    private final boolean[] duplicate;
    private final ProducerBatch firstDuplicate;
    private final ProducerBatch lastDuplicate;
    private final int bytes;
    private final long offsets;
    private final int records;
    private final long maxTimestamp;

    private AppendPlan(boolean[] duplicate, ProducerBatch firstDuplicate, ProducerBatch lastDuplicate, int bytes,
                       long offsets, int records, long maxTimestamp) {
        this.duplicate = duplicate;
        this.firstDuplicate = firstDuplicate;
        this.lastDuplicate = lastDuplicate;
        this.bytes = bytes;
        this.offsets = offsets;
        this.records = records;
        this.maxTimestamp = maxTimestamp;
    }

    /**
     * Checks every batch's producer sequence against {@code table}, then each new batch that
     * would begin a transaction against its verification ({@code verification}).
     *
     * @throws org.apache.kafka.common.errors.OutOfOrderSequenceException   see {@link ProducerSequenceCheck}
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException see {@link ProducerSequenceCheck}
     * @throws org.apache.kafka.common.errors.InvalidTxnStateException      see {@link TransactionVerifications.Check}
     */
    static AppendPlan of(ByteBuffer buffer, ValidatedBatches validated, ProducerStateTable table,
                         TopicPartition partition, AppendOrigin origin, TransactionVerifications.Check verification) {
        ProducerSequenceCheck sequenceCheck = new ProducerSequenceCheck(table, partition, origin);
        RecordBatchHeader header = new RecordBatchHeader();
        boolean[] duplicate = null;
        ProducerBatch first = null;
        ProducerBatch last = null;
        int bytes = 0;
        long offsets = 0;
        int records = 0;
        long maxTimestamp = RecordBatchHeader.NO_TIMESTAMP;
        for (int i = 0; i < validated.count(); i++) {
            header.wrap(buffer, validated.position(i));
            ProducerBatch stored = sequenceCheck.check(header);
            if (stored != null) {
                if (duplicate == null) {
                    duplicate = new boolean[validated.count()];
                    first = stored;
                }
                duplicate[i] = true;
                last = stored;
                continue;
            }
            verification.check(header);
            bytes += header.sizeInBytes();
            offsets += validated.offsetCount(i);
            records += validated.recordCount(i);
            maxTimestamp = Math.max(maxTimestamp, validated.maxTimestamp(i));
        }
        return new AppendPlan(duplicate, first, last, bytes, offsets, records, maxTimestamp);
    }

    /** True when every batch is a retry: nothing is to be written. */
    boolean allDuplicates() {
        return records == 0;
    }

    ProducerBatch firstDuplicate() {
        return firstDuplicate;
    }

    ProducerBatch lastDuplicate() {
        return lastDuplicate;
    }

    /** Per batch, whether it is skipped as a retry; null when none is. */
    boolean[] duplicates() {
        return duplicate;
    }

    int bytes() {
        return bytes;
    }

    long offsets() {
        return offsets;
    }

    int records() {
        return records;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** The bytes to write: the buffer itself, or a copy without the retried batches. */
    ByteBuffer batchesToWrite(ByteBuffer buffer, ValidatedBatches validated) {
        if (duplicate == null) {
            return buffer;
        }
        ByteBuffer kept = ByteBuffer.allocate(bytes);
        RecordBatchHeader header = new RecordBatchHeader();
        for (int i = 0; i < validated.count(); i++) {
            if (!duplicate[i]) {
                int position = validated.position(i);
                int size = header.wrap(buffer, position).sizeInBytes();
                kept.put(buffer.duplicate().limit(position + size).position(position));
            }
        }
        return kept.flip();
    }
}

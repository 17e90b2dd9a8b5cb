package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Walks whole v2 batches (a log read) record by record with what a state machine replaying a
 * log needs: each record's offset, key and value, the producer id and epoch of its batch, and the
 * transaction markers (COMMIT/ABORT control records). Not for the hot path: every key and value
 * is copied. Stateless.
 */
public final class ProducerRecordWalker {
    private ProducerRecordWalker() {
    }

    /** Receives the records and transaction markers, in log order. */
    public interface Visitor {
        /** A data record; {@code producerId} is -1 when its batch has no producer. */
        void record(long offset, long producerId, short producerEpoch, boolean transactional, byte[] key, byte[] value);

        /** A COMMIT ({@code commit} true) or ABORT marker ending {@code producerId}'s transaction. */
        void endTransactionMarker(long offset, long producerId, short producerEpoch, boolean commit);
    }

    /**
     * Visits {@code batches}; other control records (leader change, ...) are skipped, and so is a
     * trailing partial batch.
     *
     * @return the offset after the last whole batch seen, or -1 when there is none
     * @throws CorruptRecordException when a batch cannot be read
     */
    public static long walk(ByteBuffer batches, Visitor visitor) {
        long next = -1;
        try {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                next = batch.lastOffset() + 1;
                try (CloseableIterator<Record> records = batch.streamingIterator(KafkaRecords.DECOMPRESSION_BUFFERS.get())) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        if (!batch.isControlBatch()) {
                            visitor.record(record.offset(), batch.producerId(), batch.producerEpoch(),
                                    batch.isTransactional(), bytesOf(record.key()), bytesOf(record.value()));
                            continue;
                        }
                        ControlRecordType type = record.key() == null ? ControlRecordType.UNKNOWN
                                : ControlRecordType.parse(record.key().duplicate());
                        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                            visitor.endTransactionMarker(record.offset(), batch.producerId(), batch.producerEpoch(),
                                    type == ControlRecordType.COMMIT);
                        }
                    }
                }
            }
        } catch (ApiException e) {
            throw e;
        } catch (KafkaException | IllegalStateException | IndexOutOfBoundsException
                 | java.nio.BufferUnderflowException e) {
            throw new CorruptRecordException("Records cannot be read: " + e.getMessage());
        }
        return next;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

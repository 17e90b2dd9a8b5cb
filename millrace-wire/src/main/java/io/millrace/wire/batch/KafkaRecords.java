package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordsSend;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The one adapter over kafka-clients' internal record classes
 * ({@code org.apache.kafka.common.record.internal}, which moves between releases). Nothing else
 * in the project imports that package: when kafka-clients is upgraded, only this class changes.
 *
 * <p>Thread-safe: decompression buffers are cached per thread.
 */
public final class KafkaRecords {

    private static final ThreadLocal<BufferSupplier> DECOMPRESSION_BUFFERS =
            ThreadLocal.withInitial(BufferSupplier::create);

    private KafkaRecords() {
    }

    /** The bytes of records decoded from a request (ProduceRequestData's records), not copied. */
    public static ByteBuffer bufferOf(BaseRecords records) {
        if (records == null) {
            return ByteBuffer.allocate(0);
        }
        if (records instanceof MemoryRecords memory) {
            return memory.buffer().duplicate();
        }
        throw new IllegalArgumentException("Expected in-memory records, got " + records.getClass().getName());
    }

    /** Records for a response (FetchResponseData.setRecords), over {@code buffer}'s remaining bytes. */
    public static BaseRecords wrap(ByteBuffer buffer) {
        return MemoryRecords.readableRecords(buffer);
    }

    /**
     * Records for a response that stay in their file until sent: the response must be written by
     * a {@link RegionAwareWritable}, which hands the region to {@link RegionAwareWritable#writeFileRegion}.
     */
    public static BaseRecords fileRegion(FileRegion region) {
        return new FileRegionRecords(region);
    }

    /**
     * A {@link Writable} that also takes {@link #fileRegion file-region records}; every other kind
     * of records is written as kafka-clients writes it (in-memory records as a byte buffer).
     */
    public abstract static class RegionAwareWritable implements Writable {

        /** Takes the region as one part of the output; its bytes are counted in the message's size. */
        protected abstract void writeFileRegion(FileRegion region);

        @Override
        public final void writeRecords(BaseRecords records) {
            if (records instanceof FileRegionRecords file) {
                writeFileRegion(file.region);
            } else {
                Writable.super.writeRecords(records);
            }
        }
    }

    /** Carries a {@link FileRegion} through the generated response classes, which only ask its size. */
    private static final class FileRegionRecords implements BaseRecords {
        private final FileRegion region;

        private FileRegionRecords(FileRegion region) {
            this.region = region;
        }

        @Override
        public int sizeInBytes() {
            return region.size();
        }

        @Override
        public RecordsSend<? extends BaseRecords> toSend() {
            throw new UnsupportedOperationException("File-region records are written by a RegionAwareWritable");
        }
    }

    /** No records. */
    public static BaseRecords empty() {
        return MemoryRecords.EMPTY;
    }

    /** The size in bytes of a message's records field; 0 when it is null. */
    public static int sizeOf(BaseRecords records) {
        return records == null ? 0 : records.sizeInBytes();
    }

    /**
     * Visits every record of the batch at absolute {@code batchPosition}, decompressing with
     * kafka-clients' codecs (gzip, snappy, lz4, zstd) when needed; uncompressed batches are
     * walked in place by {@link UncompressedRecordWalker}. The batch's CRC is not checked here.
     *
     * @return the number of records visited
     * @throws InvalidRecordException  if the records do not match the format or the header
     * @throws CorruptRecordException  if a compressed payload cannot be decompressed
     */
    public static int forEachRecord(ByteBuffer buffer, int batchPosition, RecordVisitor visitor) {
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, batchPosition);
        if (!header.isCompressed()) {
            return UncompressedRecordWalker.walk(buffer, batchPosition, visitor);
        }
        BatchCompression.forId(header.compressionId()); // rejects unknown codec ids early
        ByteBuffer slice = buffer.duplicate().position(batchPosition).limit(batchPosition + header.sizeInBytes()).slice();
        MutableRecordBatch batch = MemoryRecords.readableRecords(slice).batches().iterator().next();
        int visited = 0;
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(DECOMPRESSION_BUFFERS.get())) {
            while (records.hasNext()) {
                Record record = records.next();
                boolean more = visitor.visit(visited, record.offset(), record.timestamp(), record.keySize(),
                        record.valueSize());
                visited++;
                if (!more) {
                    return visited;
                }
            }
        } catch (ApiException e) {
            throw e;
        } catch (KafkaException | IllegalStateException | IndexOutOfBoundsException
                 | java.nio.BufferUnderflowException e) {
            throw new CorruptRecordException("Records of the " + header.compression() + " batch at offset "
                    + header.baseOffset() + " cannot be read: " + e.getMessage());
        }
        if (visited != header.recordsCount()) {
            throw new InvalidRecordException("Batch declares " + header.recordsCount() + " records but holds "
                    + visited);
        }
        return visited;
    }

    /** Receives one record's key and value (copied; null when absent). */
    @FunctionalInterface
    public interface KeyValueVisitor {
        void visit(long offset, long timestamp, byte[] key, byte[] value);
    }

    /**
     * Visits the key and value of every record in the whole v2 batches of {@code batches} (a log
     * read, say), in order, decompressing where needed. Control batches are skipped; a trailing
     * partial batch is ignored. Not for the hot path: every key and value is copied.
     *
     * @return the offset after the last whole batch seen (control batches included), or -1 when
     *         {@code batches} holds no whole batch
     * @throws CorruptRecordException when a batch cannot be read
     */
    public static long forEachKeyValue(ByteBuffer batches, KeyValueVisitor visitor) {
        long next = -1;
        try {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                next = batch.lastOffset() + 1;
                if (batch.isControlBatch()) {
                    continue;
                }
                try (CloseableIterator<Record> records = batch.streamingIterator(DECOMPRESSION_BUFFERS.get())) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        visitor.visit(record.offset(), record.timestamp(), bytesOf(record.key()), bytesOf(record.value()));
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

    /** Receives the records and transaction markers of {@link #forEachRecordAndMarker}, in log order. */
    public interface ProducerRecordVisitor {
        /** A data record; {@code producerId} is -1 when its batch has no producer. */
        void record(long offset, long producerId, short producerEpoch, boolean transactional, byte[] key, byte[] value);

        /** A COMMIT ({@code commit} true) or ABORT marker ending {@code producerId}'s transaction. */
        void endTransactionMarker(long offset, long producerId, short producerEpoch, boolean commit);
    }

    /**
     * Visits whole v2 batches (a log read) as a state machine replaying a log needs them: each
     * record's offset, key and value (copied) with its batch's producer id and epoch, and the
     * transaction markers (COMMIT/ABORT control records); other control records and a trailing
     * partial batch are skipped. Not for the hot path.
     *
     * @return the offset after the last whole batch seen, or -1 when there is none
     * @throws CorruptRecordException when a batch cannot be read
     */
    public static long forEachRecordAndMarker(ByteBuffer batches, ProducerRecordVisitor visitor) {
        long next = -1;
        try {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                next = batch.lastOffset() + 1;
                try (CloseableIterator<Record> records = batch.streamingIterator(DECOMPRESSION_BUFFERS.get())) {
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

    /**
     * A control batch holding one COMMIT or ABORT marker of {@code producerId} at
     * {@code producerEpoch} (base offset 0, no sequence, transactional and control bits set), as
     * kafka-clients writes it; the log assigns its offset and leader epoch when appending.
     */
    public static ByteBuffer transactionMarkerBatch(long producerId, short producerEpoch, TransactionMarker marker,
                                                    long timestamp) {
        ControlRecordType type = marker.commit() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
        ByteBuffer built = MemoryRecords.withEndTransactionMarker(0L, timestamp,
                RecordBatchHeader.NO_PARTITION_LEADER_EPOCH, producerId, producerEpoch,
                new EndTransactionMarker(type, marker.coordinatorEpoch())).buffer();
        return ByteBuffer.allocate(built.remaining()).put(built.duplicate()).flip();
    }

    /**
     * The COMMIT or ABORT marker in the control batch {@code controlBatch} points at (its whole
     * bytes must be in its buffer), or null when it is another kind of control batch (or empty).
     *
     * @throws CorruptRecordException when the control record cannot be read
     */
    public static TransactionMarker readTransactionMarker(RecordBatchHeader controlBatch) {
        ByteBuffer slice = controlBatch.buffer().duplicate().position(controlBatch.position())
                .limit(controlBatch.position() + controlBatch.sizeInBytes()).slice();
        try {
            MutableRecordBatch batch = MemoryRecords.readableRecords(slice).batches().iterator().next();
            try (CloseableIterator<Record> records = batch.streamingIterator(DECOMPRESSION_BUFFERS.get())) {
                if (!records.hasNext()) {
                    return null;
                }
                Record record = records.next();
                ControlRecordType type = ControlRecordType.parse(record.key());
                if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
                    return null;
                }
                EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
                return new TransactionMarker(type == ControlRecordType.COMMIT, marker.coordinatorEpoch());
            }
        } catch (ApiException e) {
            throw e;
        } catch (KafkaException | IllegalStateException | IndexOutOfBoundsException
                 | java.nio.BufferUnderflowException | java.util.NoSuchElementException e) {
            throw new CorruptRecordException("The control batch at offset " + controlBatch.baseOffset()
                    + " cannot be read: " + e.getMessage());
        }
    }

    /** A builder for one v2 batch, for tests and tools. */
    public static BatchBuilder batchBuilder() {
        return new BatchBuilder();
    }

    /**
     * Builds one v2 batch with kafka-clients' own writer, so its bytes are exactly what a client
     * would send. Not thread-safe.
     */
    public static final class BatchBuilder {
        private record Entry(long timestamp, byte[] key, byte[] value, Header[] headers) {
        }

        private final List<Entry> entries = new ArrayList<>();
        private BatchCompression compression = BatchCompression.NONE;
        private TimestampType timestampType = TimestampType.CREATE_TIME;
        private long baseOffset;
        private long logAppendTime = RecordBatchHeader.NO_TIMESTAMP;
        private long producerId = RecordBatchHeader.NO_PRODUCER_ID;
        private short producerEpoch = RecordBatchHeader.NO_PRODUCER_EPOCH;
        private int baseSequence = RecordBatchHeader.NO_SEQUENCE;
        private boolean transactional;
        private boolean control;
        private int partitionLeaderEpoch = RecordBatchHeader.NO_PARTITION_LEADER_EPOCH;

        private BatchBuilder() {
        }

        public BatchBuilder compression(BatchCompression compression) {
            this.compression = compression;
            return this;
        }

        public BatchBuilder baseOffset(long baseOffset) {
            this.baseOffset = baseOffset;
            return this;
        }

        /** Marks the batch LogAppendTime with this time (as a broker would have stamped it). */
        public BatchBuilder logAppendTime(long logAppendTime) {
            this.timestampType = TimestampType.LOG_APPEND_TIME;
            this.logAppendTime = logAppendTime;
            return this;
        }

        /** An idempotent producer's batch. */
        public BatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
            this.baseSequence = baseSequence;
            return this;
        }

        public BatchBuilder transactional(boolean transactional) {
            this.transactional = transactional;
            return this;
        }

        /** Sets the control bit after building (brokers must reject such batches from producers). */
        public BatchBuilder control(boolean control) {
            this.control = control;
            return this;
        }

        public BatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
            this.partitionLeaderEpoch = partitionLeaderEpoch;
            return this;
        }

        public BatchBuilder add(long timestamp, byte[] key, byte[] value, Header... headers) {
            entries.add(new Entry(timestamp, key, value, headers));
            return this;
        }

        public BatchBuilder add(long timestamp, String key, String value) {
            return add(timestamp, key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The batch, positioned at 0 with its limit at its end. */
        public ByteBuffer build() {
            if (entries.isEmpty()) {
                throw new IllegalStateException("A batch needs at least one record");
            }
            int estimate = RecordBatchHeader.HEADER_SIZE;
            for (Entry e : entries) {
                estimate += 32 + (e.key == null ? 0 : e.key.length) + (e.value == null ? 0 : e.value.length);
            }
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate),
                    RecordBatchHeader.MAGIC_V2, codec(compression), timestampType, baseOffset, logAppendTime,
                    producerId, producerEpoch, baseSequence, transactional, partitionLeaderEpoch);
            for (Entry e : entries) {
                builder.append(e.timestamp, e.key, e.value, e.headers);
            }
            ByteBuffer built = builder.build().buffer();
            ByteBuffer out = ByteBuffer.allocate(built.remaining()).put(built.duplicate()).flip();
            if (control) {
                RecordBatchHeader header = new RecordBatchHeader().wrap(out, 0);
                header.setAttributes((short) (header.attributes() | RecordBatchHeader.CONTROL_MASK));
                header.updateCrc();
            }
            return out;
        }

        private static Compression codec(BatchCompression compression) {
            return switch (compression) {
                case NONE -> Compression.NONE;
                case GZIP -> Compression.gzip().build();
                case SNAPPY -> Compression.snappy().build();
                case LZ4 -> Compression.lz4().build();
                case ZSTD -> Compression.zstd().build();
            };
        }
    }
}

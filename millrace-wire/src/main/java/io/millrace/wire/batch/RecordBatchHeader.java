package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.apache.kafka.common.record.TimestampType;

/**
 * A flyweight over the 61-byte header of one Kafka v2 record batch, reading and writing its
 * fields in place with absolute gets and puts (the buffer's position and limit never move).
 *
 * <p>Layout (big-endian), with the offset of each field from the batch start:
 * <pre>
 *  0 baseOffset           int64   8 batchLength (bytes after this field) int32
 * 12 partitionLeaderEpoch int32  16 magic int8   17 crc (CRC-32C of attributes..end) uint32
 * 21 attributes           int16  23 lastOffsetDelta int32  27 baseTimestamp int64
 * 35 maxTimestamp         int64  43 producerId int64  51 producerEpoch int16
 * 53 baseSequence         int32  57 recordsCount int32  61 records...
 * </pre>
 * Attributes: bits 0-2 compression codec, bit 3 timestamp type (1 = LogAppendTime),
 * bit 4 transactional, bit 5 control, bit 6 delete horizon set.
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap}. Reading the same
 * buffer from several flyweights at once is fine as long as nobody writes.
 */
public final class RecordBatchHeader {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    /** Size of the header; the first record starts here. */
    public static final int HEADER_SIZE = 61;
    /** baseOffset and batchLength: the bytes not counted by batchLength. */
    public static final int LOG_OVERHEAD = 12;
    /** The smallest legal batchLength: a header with no records. */
    public static final int MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD;

    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_MASK = 0x10;
    public static final int CONTROL_MASK = 0x20;
    public static final int DELETE_HORIZON_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer;
    private ByteBuffer crcView;
    private int position;

    /** Points this flyweight at the batch starting at absolute {@code position} of {@code buffer}. */
    public RecordBatchHeader wrap(ByteBuffer buffer, int position) {
        if (this.buffer != buffer) {
            this.buffer = buffer;
            this.crcView = null;
        }
        this.position = position;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int position() {
        return position;
    }

    public long baseOffset() {
        return buffer.getLong(position + BASE_OFFSET_OFFSET);
    }

    public void setBaseOffset(long baseOffset) {
        buffer.putLong(position + BASE_OFFSET_OFFSET, baseOffset);
    }

    public int batchLength() {
        return buffer.getInt(position + BATCH_LENGTH_OFFSET);
    }

    /** The whole batch in bytes, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(position + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    public byte magic() {
        return buffer.get(position + MAGIC_OFFSET);
    }

    /** The stored checksum as an unsigned 32-bit value. */
    public long crc() {
        return Integer.toUnsignedLong(buffer.getInt(position + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(position + ATTRIBUTES_OFFSET);
    }

    /** Rewrites the attributes; the CRC must be updated afterwards. */
    public void setAttributes(short attributes) {
        buffer.putShort(position + ATTRIBUTES_OFFSET, attributes);
    }

    public int compressionId() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    public BatchCompression compression() {
        return BatchCompression.forId(compressionId());
    }

    public boolean isCompressed() {
        return compressionId() != 0;
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(position + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch's last one. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(position + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(position + MAX_TIMESTAMP_OFFSET);
    }

    /** Rewrites maxTimestamp; the CRC must be updated afterwards. */
    public void setMaxTimestamp(long maxTimestamp) {
        buffer.putLong(position + MAX_TIMESTAMP_OFFSET, maxTimestamp);
    }

    public long producerId() {
        return buffer.getLong(position + PRODUCER_ID_OFFSET);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    public short producerEpoch() {
        return buffer.getShort(position + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(position + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record, wrapping past Integer.MAX_VALUE to 0 as producers do. */
    public int lastSequence() {
        int base = baseSequence();
        return base == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, lastOffsetDelta());
    }

    public int recordsCount() {
        return buffer.getInt(position + RECORDS_COUNT_OFFSET);
    }

    /** CRC-32C over attributes through the end of the batch, as it should be stored. */
    public long computeCrc() {
        if (crcView == null) {
            crcView = buffer.duplicate();
        }
        int start = position + ATTRIBUTES_OFFSET;
        crcView.limit(position + sizeInBytes()).position(start);
        crc.reset();
        crc.update(crcView);
        return crc.getValue();
    }

    public boolean isCrcValid() {
        return computeCrc() == crc();
    }

    /** Stores the CRC of the batch's current content. */
    public void updateCrc() {
        buffer.putInt(position + CRC_OFFSET, (int) computeCrc());
    }

    /** {@code sequence + delta}, wrapping to 0 after Integer.MAX_VALUE as the producer does. */
    public static int incrementSequence(int sequence, int delta) {
        if (sequence > Integer.MAX_VALUE - delta) {
            return delta - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + delta;
    }

    @Override
    public String toString() {
        return "RecordBatchHeader(baseOffset=" + baseOffset() + ", size=" + sizeInBytes() + ", magic=" + magic()
                + ", lastOffsetDelta=" + lastOffsetDelta() + ", records=" + recordsCount()
                + ", producerId=" + producerId() + ", epoch=" + producerEpoch()
                + ", baseSequence=" + baseSequence() + ")";
    }
}

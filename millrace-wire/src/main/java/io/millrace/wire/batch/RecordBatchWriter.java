package io.millrace.wire.batch;

import java.nio.ByteBuffer;

/**
 * Writes a v2 record batch that takes its header from an existing one (offsets, leader epoch,
 * producer id, epoch and sequence, lastOffsetDelta) with new attributes, timestamps, record count
 * and records, and computes its CRC. The log cleaner uses it to write a batch that keeps only
 * some of its records without changing any offset: a v2 batch may have gaps between its records'
 * offsets, and keeping lastOffsetDelta keeps the producer's sequence accounting intact.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordBatchWriter {

    private RecordBatchWriter() {
    }

    /** Bytes a batch with {@code payloadBytes} bytes of records takes. */
    public static int sizeOf(int payloadBytes) {
        return RecordBatchHeader.HEADER_SIZE + payloadBytes;
    }

    /**
     * Writes the batch at {@code out}'s position and advances it past the batch.
     *
     * @param template      the batch whose header fields are kept
     * @param attributes    the new attributes (codec, timestamp type, transactional, control, delete horizon)
     * @param baseTimestamp the new base timestamp (the delete horizon when that attribute is set);
     *                      record timestamp deltas in {@code payload} must be relative to it
     * @param maxTimestamp  the new max timestamp
     * @param recordsCount  how many records {@code payload} holds
     * @param payload       the records, compressed with the codec {@code attributes} names; its
     *                      remaining bytes are copied, its position is left alone
     */
    public static void write(ByteBuffer out, RecordBatchHeader template, short attributes, long baseTimestamp,
                             long maxTimestamp, int recordsCount, ByteBuffer payload) {
        int start = out.position();
        int size = sizeOf(payload.remaining());
        if (out.remaining() < size) {
            throw new IllegalArgumentException("A batch of " + size + " bytes does not fit in " + out.remaining());
        }
        out.put(start, template.buffer(), template.position(), RecordBatchHeader.HEADER_SIZE);
        out.putInt(start + RecordBatchHeader.BATCH_LENGTH_OFFSET, size - RecordBatchHeader.LOG_OVERHEAD);
        out.putShort(start + RecordBatchHeader.ATTRIBUTES_OFFSET, attributes);
        out.putLong(start + RecordBatchHeader.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(start + RecordBatchHeader.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putInt(start + RecordBatchHeader.RECORDS_COUNT_OFFSET, recordsCount);
        out.put(start + RecordBatchHeader.HEADER_SIZE, payload, payload.position(), payload.remaining());
        new RecordBatchHeader().wrap(out, start).updateCrc();
        out.position(start + size);
    }

    /**
     * Writes {@code template}'s header with no records: what remains of a batch whose records
     * were all removed but whose producer id, epoch and sequences must survive. Uncompressed,
     * without timestamps.
     */
    public static void writeEmpty(ByteBuffer out, RecordBatchHeader template) {
        short attributes = (short) (template.attributes() & ~RecordBatchHeader.COMPRESSION_CODEC_MASK
                & ~RecordBatchHeader.DELETE_HORIZON_MASK);
        write(out, template, attributes, RecordBatchHeader.NO_TIMESTAMP, RecordBatchHeader.NO_TIMESTAMP, 0,
                ByteBuffer.allocate(0));
    }
}

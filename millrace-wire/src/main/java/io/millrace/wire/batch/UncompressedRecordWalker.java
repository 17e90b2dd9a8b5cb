package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;

/**
 * Walks the records of an uncompressed v2 batch in place, decoding only the varints needed to
 * find each record's offset, timestamp, key and value lengths. Checks the structure as it goes:
 * every record lies inside the batch, consumes exactly its declared length, and the batch holds
 * exactly {@code recordsCount} records with nothing after them.
 *
 * <p>Record layout: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
 * keyLength varint, key, valueLength varint, value, headerCount varint, then per header
 * keyLength varint, key, valueLength varint, value. Varints are zig-zag encoded.
 *
 * <p>Stateless and thread-safe (all state lives on the stack).
 */
public final class UncompressedRecordWalker {

    private UncompressedRecordWalker() {
    }

    /**
     * Visits every record of the uncompressed batch at absolute {@code batchPosition}, stopping
     * early if the visitor returns false (the remaining structure is then not checked).
     *
     * @return the number of records visited
     * @throws InvalidRecordException if the records do not match the format or the header
     */
    public static int walk(ByteBuffer buffer, int batchPosition, RecordVisitor visitor) {
        RecordBatchHeader header = new RecordBatchHeader().wrap(buffer, batchPosition);
        if (header.isCompressed()) {
            throw new IllegalArgumentException("Batch at " + batchPosition + " is compressed");
        }
        long baseOffset = header.baseOffset();
        long baseTimestamp = header.baseTimestamp();
        boolean logAppendTime = (header.attributes() & RecordBatchHeader.TIMESTAMP_TYPE_MASK) != 0;
        long maxTimestamp = header.maxTimestamp();
        int count = header.recordsCount();
        int end = batchPosition + header.sizeInBytes();
        Cursor cursor = new Cursor(buffer, batchPosition + RecordBatchHeader.HEADER_SIZE, end);

        for (int i = 0; i < count; i++) {
            int length = cursor.readVarint();
            if (length < 0 || length > cursor.remaining()) {
                throw new InvalidRecordException("Record " + i + " declares " + length + " bytes but "
                        + cursor.remaining() + " remain in the batch");
            }
            int recordEnd = cursor.pos + length;
            cursor.limitTo(recordEnd);
            cursor.skip(1); // attributes: unused
            long timestampDelta = cursor.readVarlong();
            int offsetDelta = cursor.readVarint();
            int keySize = cursor.readVarint();
            cursor.skipBytes(keySize, "key");
            int valueSize = cursor.readVarint();
            cursor.skipBytes(valueSize, "value");
            int headerCount = cursor.readVarint();
            if (headerCount < 0) {
                throw new InvalidRecordException("Record " + i + " has a negative header count " + headerCount);
            }
            for (int h = 0; h < headerCount; h++) {
                int headerKeySize = cursor.readVarint();
                if (headerKeySize < 0) {
                    throw new InvalidRecordException("Record " + i + " has a header with a negative key size");
                }
                cursor.skipBytes(headerKeySize, "header key");
                cursor.skipBytes(cursor.readVarint(), "header value");
            }
            if (cursor.pos != recordEnd) {
                throw new InvalidRecordException("Record " + i + " declares " + length + " bytes but its fields take "
                        + (length - (recordEnd - cursor.pos)));
            }
            cursor.limitTo(end);
            long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
            if (!visitor.visit(i, baseOffset + offsetDelta, timestamp, keySize, valueSize)) {
                return i + 1;
            }
        }
        if (cursor.pos != end) {
            throw new InvalidRecordException((end - cursor.pos) + " bytes follow the last of the batch's "
                    + count + " records");
        }
        return count;
    }

    /** A read position bounded by a limit; every read checks the bound. */
    private static final class Cursor {
        private final ByteBuffer buffer;
        private int pos;
        private int limit;

        Cursor(ByteBuffer buffer, int pos, int limit) {
            this.buffer = buffer;
            this.pos = pos;
            this.limit = limit;
        }

        int remaining() {
            return limit - pos;
        }

        void limitTo(int newLimit) {
            limit = newLimit;
        }

        void skip(int n) {
            if (n > remaining()) {
                throw new InvalidRecordException("Record ends before its fields do");
            }
            pos += n;
        }

        void skipBytes(int size, String what) {
            if (size < -1) {
                throw new InvalidRecordException("Invalid " + what + " length " + size);
            }
            if (size > 0) {
                skip(size);
            }
        }

        private byte next() {
            if (pos >= limit) {
                throw new InvalidRecordException("Record ends inside a varint");
            }
            return buffer.get(pos++);
        }

        int readVarint() {
            int raw = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte b = next();
                raw |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw new InvalidRecordException("Varint longer than 5 bytes");
        }

        long readVarlong() {
            long raw = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                byte b = next();
                raw |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw new InvalidRecordException("Varlong longer than 10 bytes");
        }
    }
}

package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;

/**
 * A flyweight that steps through plain (uncompressed or already decompressed) v2 records lying
 * back to back in a buffer, exposing where each record's parts are rather than copying them:
 * code that filters or rewrites records (the log cleaner) reads keys in place and copies whole
 * records with one bulk put.
 *
 * <p>Record layout: length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
 * keyLength varint, key, valueLength varint, value, headerCount varint, headers. Only the fields
 * up to the value are decoded; the structure after it is checked only in that the record must
 * end where its length says ({@link UncompressedRecordWalker} checks headers in full when a
 * batch is accepted).
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap}.
 */
public final class RecordCursor {
    private ByteBuffer buffer;
    private int next;
    private int end;
    private int recordStart;
    private int recordEnd;
    private int attributesPosition;
    private int afterTimestampPosition;
    private long timestampDelta;
    private int offsetDelta;
    private int keyPosition;
    private int keySize;
    private int valueSize;
    private int pos;

    /** Points the cursor before the first record in {@code buffer[start, end)}. */
    public RecordCursor wrap(ByteBuffer buffer, int start, int end) {
        this.buffer = buffer;
        this.next = start;
        this.end = end;
        return this;
    }

    /**
     * Moves to the next record.
     *
     * @return false when no bytes are left
     * @throws InvalidRecordException if the record does not fit or its fields overrun it
     */
    public boolean next() {
        if (next >= end) {
            return false;
        }
        recordStart = next;
        pos = next;
        int length = readVarint(end);
        if (length < 0 || length > end - pos) {
            throw new InvalidRecordException("A record declares " + length + " bytes but " + (end - pos) + " remain");
        }
        recordEnd = pos + length;
        attributesPosition = pos;
        pos++;
        timestampDelta = readVarlong(recordEnd);
        afterTimestampPosition = pos;
        offsetDelta = readVarint(recordEnd);
        keySize = readVarint(recordEnd);
        keyPosition = pos;
        skip(keySize);
        valueSize = readVarint(recordEnd);
        skip(valueSize);
        if (pos > recordEnd) {
            throw new InvalidRecordException("A record's fields overrun its declared length " + length);
        }
        next = recordEnd;
        return true;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Position of the current record's length varint. */
    public int recordStart() {
        return recordStart;
    }

    /** Position after the current record's last byte. */
    public int recordEnd() {
        return recordEnd;
    }

    /** The whole record's size in bytes, length varint included. */
    public int sizeInBytes() {
        return recordEnd - recordStart;
    }

    public long timestampDelta() {
        return timestampDelta;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /** Position of the key's first byte (meaningless when {@link #keySize()} is -1). */
    public int keyPosition() {
        return keyPosition;
    }

    /** The key's length, -1 for a null key. */
    public int keySize() {
        return keySize;
    }

    /** The value's length, -1 for a null value (a tombstone). */
    public int valueSize() {
        return valueSize;
    }

    /** Copies the current record unchanged to {@code out}'s position, advancing it. */
    public void copyTo(ByteBuffer out) {
        out.put(out.position(), buffer, recordStart, recordEnd - recordStart);
        out.position(out.position() + recordEnd - recordStart);
    }

    /** The size {@link #copyTo(ByteBuffer, long)} writes for this timestamp delta. */
    public int sizeWithTimestampDelta(long newTimestampDelta) {
        int body = 1 + Varints.sizeOfVarlong(newTimestampDelta) + (recordEnd - afterTimestampPosition);
        return Varints.sizeOfVarint(body) + body;
    }

    /**
     * Copies the current record to {@code out}'s position with another timestamp delta (the
     * batch's base timestamp changed), advancing it; every other field is copied as it is.
     */
    public void copyTo(ByteBuffer out, long newTimestampDelta) {
        int tail = recordEnd - afterTimestampPosition;
        Varints.writeVarint(out, 1 + Varints.sizeOfVarlong(newTimestampDelta) + tail);
        out.put(buffer.get(attributesPosition));
        Varints.writeVarlong(out, newTimestampDelta);
        out.put(out.position(), buffer, afterTimestampPosition, tail);
        out.position(out.position() + tail);
    }

    private void skip(int size) {
        if (size < -1) {
            throw new InvalidRecordException("Invalid field length " + size);
        }
        if (size > 0) {
            if (size > recordEnd - pos) {
                throw new InvalidRecordException("A record field of " + size + " bytes overruns the record");
            }
            pos += size;
        }
    }

    private byte nextByte(int limit) {
        if (pos >= limit) {
            throw new InvalidRecordException("A record ends inside a varint");
        }
        return buffer.get(pos++);
    }

    private int readVarint(int limit) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = nextByte(limit);
            raw |= (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw Varints.tooLong("Varint");
    }

    private long readVarlong(int limit) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = nextByte(limit);
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw Varints.tooLong("Varlong");
    }
}

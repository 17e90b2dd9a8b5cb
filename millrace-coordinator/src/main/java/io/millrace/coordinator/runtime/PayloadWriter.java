package io.millrace.coordinator.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the fields of a record key or value, big-endian: strings as int16 length + UTF-8 (-1
 * for null), byte arrays as int32 length + bytes (-1 for null). Not thread-safe; one per record.
 */
public final class PayloadWriter {
    private ByteBuffer buffer = ByteBuffer.allocate(64);

    public PayloadWriter putShort(short v) {
        ensure(Short.BYTES).putShort(v);
        return this;
    }

    public PayloadWriter putInt(int v) {
        ensure(Integer.BYTES).putInt(v);
        return this;
    }

    public PayloadWriter putLong(long v) {
        ensure(Long.BYTES).putLong(v);
        return this;
    }

    public PayloadWriter putString(String s) {
        if (s == null) {
            return putShort((short) -1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("String of " + bytes.length + " bytes is too long for a record field");
        }
        putShort((short) bytes.length);
        ensure(bytes.length).put(bytes);
        return this;
    }

    public PayloadWriter putBytes(byte[] bytes) {
        if (bytes == null) {
            return putInt(-1);
        }
        putInt(bytes.length);
        ensure(bytes.length).put(bytes);
        return this;
    }

    public byte[] toArray() {
        byte[] out = new byte[buffer.position()];
        buffer.duplicate().flip().get(out);
        return out;
    }

    private ByteBuffer ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            bigger.put(buffer.flip());
            buffer = bigger;
        }
        return buffer;
    }
}

package io.millrace.coordinator.runtime;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link PayloadWriter} wrote. Not thread-safe; one per record. */
public final class PayloadReader {
    private final ByteBuffer buffer;

    public PayloadReader(byte[] bytes) {
        this.buffer = ByteBuffer.wrap(bytes);
    }

    public short getShort() {
        return buffer.getShort();
    }

    public int getInt() {
        return buffer.getInt();
    }

    public long getLong() {
        return buffer.getLong();
    }

    public String getString() {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public byte[] getBytes() {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        if (length > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** Bytes left: a reader of a later-appended field checks this to read older records too. */
    public int remaining() {
        return buffer.remaining();
    }

    public boolean hasRemaining() {
        return buffer.hasRemaining();
    }
}

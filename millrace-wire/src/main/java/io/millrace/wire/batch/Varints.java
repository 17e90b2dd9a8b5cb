package io.millrace.wire.batch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;

/**
 * Zig-zag variable-length integers as the v2 record format uses them (protobuf's encoding):
 * sizes, and writes at a buffer's position. Reads live in {@link RecordCursor}, which bounds
 * them by the record they belong to.
 *
 * <p>Stateless and thread-safe.
 */
public final class Varints {

    private Varints() {
    }

    /** Bytes {@code value} takes as a zig-zag varint. */
    public static int sizeOfVarint(int value) {
        int raw = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((raw & 0xffffff80) != 0) {
            bytes++;
            raw >>>= 7;
        }
        return bytes;
    }

    /** Bytes {@code value} takes as a zig-zag varlong. */
    public static int sizeOfVarlong(long value) {
        long raw = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((raw & 0xffffffffffffff80L) != 0) {
            bytes++;
            raw >>>= 7;
        }
        return bytes;
    }

    /** Writes {@code value} as a zig-zag varint at {@code out}'s position, advancing it. */
    public static void writeVarint(ByteBuffer out, int value) {
        int raw = (value << 1) ^ (value >> 31);
        while ((raw & 0xffffff80) != 0) {
            out.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        out.put((byte) raw);
    }

    /** Writes {@code value} as a zig-zag varlong at {@code out}'s position, advancing it. */
    public static void writeVarlong(ByteBuffer out, long value) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & 0xffffffffffffff80L) != 0) {
            out.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        out.put((byte) raw);
    }

    static InvalidRecordException tooLong(String what) {
        return new InvalidRecordException(what + " longer than its maximum encoded size");
    }
}

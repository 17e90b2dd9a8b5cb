package io.millrace.coordinator.consumer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * The primitive encodings of consumer group record keys and values (see
 * {@link ConsumerGroupRecords} for the layouts built from them):
 * <ul>
 *   <li>{@code uvarint}: unsigned LEB128, 7 bits a byte, low bits first;</li>
 *   <li>{@code varint}: a signed int, zig-zag mapped, then as uvarint;</li>
 *   <li>{@code string}: uvarint byte length, then UTF-8 bytes;</li>
 *   <li>{@code nullable string}: uvarint (length + 1), 0 for null, then UTF-8 bytes;</li>
 *   <li>{@code uuid}: 16 bytes, most significant long first, big-endian;</li>
 *   <li>{@code partitions}: uvarint topic count, then per topic (ascending id): uuid, uvarint
 *       partition count, the partitions ascending as uvarint gaps (the first from 0).</li>
 * </ul>
 * Not thread-safe; one writer or reader per record.
 */
final class Payload {
    private Payload() {
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer uvarint(int value) {
            int v = value;
            while ((v & ~0x7F) != 0) {
                out.write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write(v);
            return this;
        }

        Writer varint(int value) {
            return uvarint((value << 1) ^ (value >> 31));
        }

        Writer string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            uvarint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Writer nullableString(String value) {
            if (value == null) {
                return uvarint(0);
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            uvarint(bytes.length + 1);
            out.writeBytes(bytes);
            return this;
        }

        Writer uuid(Uuid id) {
            long64(id.getMostSignificantBits());
            long64(id.getLeastSignificantBits());
            return this;
        }

        Writer partitions(PartitionSet set) {
            uvarint(set.topics().size());
            set.asMap().forEach((topic, partitions) -> {
                uuid(topic);
                uvarint(partitions.size());
                int previous = 0;
                for (int p : partitions) {
                    uvarint(p - previous);
                    previous = p;
                }
            });
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void long64(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift) & 0xFF);
            }
        }
    }

    static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int uvarint() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = next();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("Malformed varint at byte " + position);
        }

        int varint() {
            int raw = uvarint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        String string() {
            return utf8(uvarint());
        }

        String nullableString() {
            int lengthPlusOne = uvarint();
            return lengthPlusOne == 0 ? null : utf8(lengthPlusOne - 1);
        }

        Uuid uuid() {
            return new Uuid(long64(), long64());
        }

        PartitionSet partitions() {
            PartitionSet.Builder builder = PartitionSet.builder();
            int topics = count();
            for (int t = 0; t < topics; t++) {
                Uuid topic = uuid();
                int count = count();
                int partition = 0;
                for (int i = 0; i < count; i++) {
                    partition += uvarint();
                    builder.add(topic, partition);
                }
            }
            return builder.build();
        }

        List<String> strings() {
            int count = count();
            List<String> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(string());
            }
            return list;
        }

        byte int8() {
            return (byte) next();
        }

        /** A uvarint that counts following items; bounded by the bytes left so a corrupt count fails fast. */
        int count() {
            int count = uvarint();
            if (count < 0 || count > bytes.length - position) {
                throw new IllegalArgumentException("Malformed count " + count + " at byte " + position);
            }
            return count;
        }

        private String utf8(int length) {
            if (length < 0 || length > bytes.length - position) {
                throw new IllegalArgumentException("Malformed string length " + length + " at byte " + position);
            }
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        private long long64() {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | next();
            }
            return value;
        }

        private int next() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("Record payload ends early at byte " + position);
            }
            return bytes[position++] & 0xFF;
        }
    }
}

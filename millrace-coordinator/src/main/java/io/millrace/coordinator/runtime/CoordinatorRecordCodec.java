package io.millrace.coordinator.runtime;

import java.nio.ByteBuffer;

/**
 * A {@link CoordinatorRecord} as a Kafka record: key = 2-byte key type (big-endian) followed by
 * the record's key bytes; value = the record's value bytes, or null for a tombstone. Stateless.
 */
public final class CoordinatorRecordCodec {
    private CoordinatorRecordCodec() {
    }

    public static byte[] kafkaKey(CoordinatorRecord record) {
        return ByteBuffer.allocate(Short.BYTES + record.key().length).putShort(record.keyType()).put(record.key()).array();
    }

    /**
     * @throws IllegalArgumentException when the key is too short to hold a key type
     */
    public static CoordinatorRecord decode(byte[] kafkaKey, byte[] value) {
        if (kafkaKey == null || kafkaKey.length < Short.BYTES) {
            throw new IllegalArgumentException("A coordinator record key needs at least 2 bytes");
        }
        ByteBuffer key = ByteBuffer.wrap(kafkaKey);
        short type = key.getShort();
        byte[] rest = new byte[key.remaining()];
        key.get(rest);
        return new CoordinatorRecord(type, rest, value);
    }
}

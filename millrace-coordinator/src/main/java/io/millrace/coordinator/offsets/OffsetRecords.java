package io.millrace.coordinator.offsets;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import org.apache.kafka.common.TopicPartition;

/**
 * Key type 1, an offset commit. Stable on disk:
 * <pre>
 * key   = int16 version (0), string group id, string topic, int32 partition
 * value = int16 version (0), int64 offset, int32 leader epoch, string metadata,
 *         int64 commit timestamp, int64 expire timestamp (-1: none); null value = deleted
 * </pre>
 * Strings are int16 length + UTF-8. Stateless.
 */
public final class OffsetRecords {
    private static final short VERSION = 0;

    private OffsetRecords() {
    }

    /** The commit's key. */
    public record Key(String groupId, TopicPartition partition) {
    }

    public static CoordinatorRecord commit(String groupId, TopicPartition tp, CommittedOffset offset) {
        byte[] value = new PayloadWriter().putShort(VERSION).putLong(offset.offset()).putInt(offset.leaderEpoch())
                .putString(offset.metadata()).putLong(offset.commitTimestamp()).putLong(offset.expireTimestamp())
                .toArray();
        return new CoordinatorRecord(CoordinatorRecord.OFFSET_COMMIT, key(groupId, tp), value);
    }

    public static CoordinatorRecord tombstone(String groupId, TopicPartition tp) {
        return new CoordinatorRecord(CoordinatorRecord.OFFSET_COMMIT, key(groupId, tp), null);
    }

    public static Key readKey(byte[] key) {
        PayloadReader in = new PayloadReader(key);
        in.getShort();
        String group = in.getString();
        String topic = in.getString();
        return new Key(group, new TopicPartition(topic, in.getInt()));
    }

    public static CommittedOffset readValue(byte[] value) {
        PayloadReader in = new PayloadReader(value);
        in.getShort();
        return new CommittedOffset(in.getLong(), in.getInt(), in.getString(), in.getLong(), in.getLong());
    }

    private static byte[] key(String groupId, TopicPartition tp) {
        return new PayloadWriter().putShort(VERSION).putString(groupId).putString(tp.topic()).putInt(tp.partition())
                .toArray();
    }
}

package io.millrace.coordinator.sharestate;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * The one record type of {@code __share_group_state}, with Kafka's key type number for a share
 * snapshot (the payloads are ours):
 * <pre>
 * 0 snapshot  key groupId, long topicId msb, long topicId lsb, int partition
 *             value short version, int stateEpoch, int leaderEpoch, long startOffset,
 *                   int n + n × (long firstOffset, long lastOffset, short state, short deliveryCount)
 * </pre>
 * Every write is a whole snapshot (the in-flight window is bounded by
 * {@code group.share.partition.max.record.locks}), so compaction keeps exactly the latest; a null
 * value is a tombstone (DeleteShareGroupState). A reader ignores bytes past the fields it knows.
 * Stateless.
 */
public final class ShareStateRecords {
    public static final short SNAPSHOT = 0;
    private static final short VERSION = 0;

    private ShareStateRecords() {
    }

    public static CoordinatorRecord snapshot(ShareStateKey key, ShareSnapshot snapshot) {
        PayloadWriter writer = new PayloadWriter().putShort(VERSION).putInt(snapshot.stateEpoch())
                .putInt(snapshot.leaderEpoch()).putLong(snapshot.startOffset()).putInt(snapshot.batches().size());
        for (ShareStateBatch b : snapshot.batches()) {
            writer.putLong(b.firstOffset()).putLong(b.lastOffset()).putShort(b.state())
                    .putShort(b.deliveryCount());
        }
        return new CoordinatorRecord(SNAPSHOT, key(key), writer.toArray());
    }

    public static CoordinatorRecord tombstone(ShareStateKey key) {
        return new CoordinatorRecord(SNAPSHOT, key(key), null);
    }

    public static ShareStateKey readKey(byte[] bytes) {
        PayloadReader reader = new PayloadReader(bytes);
        String groupId = reader.getString();
        Uuid topicId = new Uuid(reader.getLong(), reader.getLong());
        return new ShareStateKey(groupId, topicId, reader.getInt());
    }

    public static ShareSnapshot readSnapshot(byte[] value) {
        PayloadReader reader = new PayloadReader(value);
        reader.getShort();
        int stateEpoch = reader.getInt();
        int leaderEpoch = reader.getInt();
        long startOffset = reader.getLong();
        int n = reader.getInt();
        List<ShareStateBatch> batches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long first = reader.getLong();
            long last = reader.getLong();
            byte state = (byte) reader.getShort();
            batches.add(new ShareStateBatch(first, last, state, reader.getShort()));
        }
        return new ShareSnapshot(stateEpoch, leaderEpoch, startOffset, batches);
    }

    private static byte[] key(ShareStateKey key) {
        return new PayloadWriter().putString(key.groupId()).putLong(key.topicId().getMostSignificantBits())
                .putLong(key.topicId().getLeastSignificantBits()).putInt(key.partition()).toArray();
    }
}

package io.millrace.coordinator.share;

import io.millrace.coordinator.consumer.PartitionSet;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The records of share groups in {@code __consumer_offsets}, with Kafka's key type numbers for
 * share group member and group metadata (the payloads are ours):
 * <pre>
 * 10 member          key groupId, memberId; value short version, rackId, clientId, clientHost,
 *                    int n + n × string subscribedTopicName, int memberEpoch,
 *                    int t + t × (long topicId msb, long topicId lsb, int p + p × int partition)
 * 11 group metadata  key groupId; value short version, int groupEpoch
 * 15 state topics    key groupId; value short version, int n + n × (long topicId msb, long topicId lsb,
 *                    string topicName): every topic the group may have share-partition state of (its
 *                    members' assigned topics, the topics AlterShareGroupOffsets set), so the admin
 *                    APIs without topics ask only those (Kafka's key type 15 keeps its initialized
 *                    topics)
 * </pre>
 * Strings are those of {@link PayloadWriter} (rackId may be null). A null value is a tombstone:
 * the member left, or the group is deleted. A reader ignores bytes past the fields it knows, so a
 * later version may append fields. Stateless.
 */
public final class ShareGroupRecords {
    public static final short MEMBER = 10;
    public static final short GROUP_METADATA = 11;
    public static final short STATE_TOPICS = 15;
    private static final short VERSION = 0;

    private ShareGroupRecords() {
    }

    /** The group and, for a member record, the member a record is about. */
    public record Key(String groupId, String memberId) {
    }

    public static boolean handles(short keyType) {
        return keyType == MEMBER || keyType == GROUP_METADATA || keyType == STATE_TOPICS;
    }

    public static Key key(CoordinatorRecord record) {
        PayloadReader reader = new PayloadReader(record.key());
        String groupId = reader.getString();
        return record.keyType() == MEMBER ? new Key(groupId, reader.getString()) : new Key(groupId, null);
    }

    public static CoordinatorRecord groupMetadata(String groupId, int groupEpoch) {
        return new CoordinatorRecord(GROUP_METADATA, key(groupId, null),
                new PayloadWriter().putShort(VERSION).putInt(groupEpoch).toArray());
    }

    public static int readGroupEpoch(byte[] value) {
        PayloadReader reader = new PayloadReader(value);
        reader.getShort();
        return reader.getInt();
    }

    /** The group's state topics, by id, with their names. */
    public static CoordinatorRecord stateTopics(String groupId, Map<Uuid, String> topics) {
        PayloadWriter writer = new PayloadWriter().putShort(VERSION).putInt(topics.size());
        topics.forEach((id, name) -> writer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .putString(name));
        return new CoordinatorRecord(STATE_TOPICS, key(groupId, null), writer.toArray());
    }

    public static Map<Uuid, String> readStateTopics(byte[] value) {
        PayloadReader reader = new PayloadReader(value);
        reader.getShort();
        int n = reader.getInt();
        Map<Uuid, String> topics = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Uuid id = new Uuid(reader.getLong(), reader.getLong());
            topics.put(id, reader.getString());
        }
        return topics;
    }

    public static CoordinatorRecord member(String groupId, ShareMember member) {
        PayloadWriter writer = new PayloadWriter().putShort(VERSION).putString(member.rackId())
                .putString(member.clientId()).putString(member.clientHost())
                .putInt(member.subscribedTopicNames().size());
        member.subscribedTopicNames().forEach(writer::putString);
        writer.putInt(member.memberEpoch()).putInt(member.assignment().topics().size());
        member.assignment().asMap().forEach((topicId, partitions) -> {
            writer.putLong(topicId.getMostSignificantBits()).putLong(topicId.getLeastSignificantBits())
                    .putInt(partitions.size());
            partitions.forEach(writer::putInt);
        });
        return new CoordinatorRecord(MEMBER, key(groupId, member.memberId()), writer.toArray());
    }

    public static ShareMember readMember(String memberId, byte[] value) {
        PayloadReader reader = new PayloadReader(value);
        reader.getShort();
        String rackId = reader.getString();
        String clientId = reader.getString();
        String clientHost = reader.getString();
        int topicCount = reader.getInt();
        List<String> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            topics.add(reader.getString());
        }
        int epoch = reader.getInt();
        PartitionSet.Builder assignment = PartitionSet.builder();
        int assignedTopics = reader.getInt();
        for (int i = 0; i < assignedTopics; i++) {
            Uuid topicId = new Uuid(reader.getLong(), reader.getLong());
            int partitions = reader.getInt();
            for (int p = 0; p < partitions; p++) {
                assignment.add(topicId, reader.getInt());
            }
        }
        return new ShareMember(memberId, rackId, clientId, clientHost, topics, epoch, assignment.build());
    }

    public static CoordinatorRecord tombstone(short keyType, String groupId, String memberId) {
        return new CoordinatorRecord(keyType, key(groupId, memberId), null);
    }

    private static byte[] key(String groupId, String memberId) {
        PayloadWriter writer = new PayloadWriter().putString(groupId);
        if (memberId != null) {
            writer.putString(memberId);
        }
        return writer.toArray();
    }
}

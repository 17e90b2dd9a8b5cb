package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicsView.TopicInfo;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * The records of consumer groups in {@code __consumer_offsets} (key types 3–8): how they are
 * built and read. Primitives are those of {@link Payload}.
 *
 * <p>Keys: types 3, 4 and 6 are {@code string groupId}; types 5, 7 and 8 are
 * {@code string groupId, string memberId}.
 *
 * <p>Values begin with a {@code uvarint} version, 0 for all today. A later version only appends
 * fields, and a reader ignores fields past those it knows, so an older broker still reads the
 * fields it understands.
 * <pre>
 * 3 group metadata         v0: varint groupEpoch
 * 4 subscription metadata  v0: uvarint n, n × (uuid topicId, string name, varint partitions)
 * 5 member                 v0: nullable instanceId, nullable rackId, string clientId,
 *                              string clientHost, uvarint n + n × string subscribedTopicNames,
 *                              nullable subscribedTopicRegex, nullable serverAssignor,
 *                              varint rebalanceTimeoutMs
 * 6 target metadata        v0: varint assignmentEpoch
 * 7 target of one member   v0: partitions
 * 8 current assignment     v0: varint memberEpoch, varint previousMemberEpoch, int8 state
 *                              ({@link MemberState#code()}), partitions assigned,
 *                              partitions pendingRevocation
 * </pre>
 * A null value is a tombstone: the group's (3, 4, 6) or the member's (5, 7, 8) entry is gone.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConsumerGroupRecords {
    private static final int VERSION = 0;

    private ConsumerGroupRecords() {
    }

    /** The group and, for member records, the member a record is about. */
    public record Key(String groupId, String memberId) {
    }

    /** True for the key types this package owns. */
    public static boolean isConsumerGroupRecord(short keyType) {
        return keyType >= CoordinatorRecord.CONSUMER_GROUP_METADATA
                && keyType <= CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT;
    }

    public static Key key(CoordinatorRecord record) {
        Payload.Reader reader = new Payload.Reader(record.key());
        String groupId = reader.string();
        return switch (record.keyType()) {
            case CoordinatorRecord.CONSUMER_GROUP_MEMBER, CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER,
                 CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT -> new Key(groupId, reader.string());
            default -> new Key(groupId, null);
        };
    }

    public static CoordinatorRecord groupEpoch(String groupId, int epoch) {
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_METADATA, groupKey(groupId),
                value().varint(epoch).toByteArray());
    }

    public static int readGroupEpoch(byte[] value) {
        return reader(value).varint();
    }

    public static CoordinatorRecord subscriptionMetadata(String groupId, List<TopicInfo> topics) {
        Payload.Writer writer = value().uvarint(topics.size());
        for (TopicInfo topic : topics) {
            writer.uuid(topic.id()).string(topic.name()).varint(topic.partitions());
        }
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_PARTITION_METADATA, groupKey(groupId),
                writer.toByteArray());
    }

    public static List<TopicInfo> readSubscriptionMetadata(byte[] value) {
        Payload.Reader reader = reader(value);
        int count = reader.count();
        List<TopicInfo> topics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Uuid id = reader.uuid();
            String name = reader.string();
            topics.add(new TopicInfo(name, id, reader.varint()));
        }
        return topics;
    }

    public static CoordinatorRecord member(String groupId, ConsumerGroupMember member) {
        Payload.Writer writer = value()
                .nullableString(member.instanceId())
                .nullableString(member.rackId())
                .string(member.clientId())
                .string(member.clientHost())
                .uvarint(member.subscribedTopicNames().size());
        member.subscribedTopicNames().forEach(writer::string);
        writer.nullableString(member.subscribedTopicRegex())
                .nullableString(member.serverAssignor())
                .varint(member.rebalanceTimeoutMs());
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_MEMBER, memberKey(groupId, member.memberId()),
                writer.toByteArray());
    }

    public static ConsumerGroupMember readMember(String memberId, byte[] value) {
        Payload.Reader reader = reader(value);
        String instanceId = reader.nullableString();
        String rackId = reader.nullableString();
        String clientId = reader.string();
        String clientHost = reader.string();
        List<String> topics = reader.strings();
        String regex = reader.nullableString();
        String assignor = reader.nullableString();
        int rebalanceTimeoutMs = reader.varint();
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, topics, regex, assignor,
                rebalanceTimeoutMs);
    }

    public static CoordinatorRecord targetEpoch(String groupId, int assignmentEpoch) {
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA, groupKey(groupId),
                value().varint(assignmentEpoch).toByteArray());
    }

    public static int readTargetEpoch(byte[] value) {
        return reader(value).varint();
    }

    public static CoordinatorRecord target(String groupId, String memberId, PartitionSet partitions) {
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER,
                memberKey(groupId, memberId), value().partitions(partitions).toByteArray());
    }

    public static PartitionSet readTarget(byte[] value) {
        return reader(value).partitions();
    }

    public static CoordinatorRecord currentAssignment(String groupId, String memberId, MemberAssignment assignment) {
        byte[] bytes = value()
                .varint(assignment.memberEpoch())
                .varint(assignment.previousMemberEpoch())
                .uvarint(assignment.state().code())
                .partitions(assignment.assigned())
                .partitions(assignment.pendingRevocation())
                .toByteArray();
        return new CoordinatorRecord(CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT, memberKey(groupId, memberId),
                bytes);
    }

    public static MemberAssignment readCurrentAssignment(byte[] value) {
        Payload.Reader reader = reader(value);
        int epoch = reader.varint();
        int previous = reader.varint();
        MemberState state = MemberState.fromCode((byte) reader.uvarint());
        return new MemberAssignment(epoch, previous, state, reader.partitions(), reader.partitions());
    }

    /** The tombstone of one group's ({@code memberId} null) or one member's record of {@code keyType}. */
    public static CoordinatorRecord tombstone(short keyType, String groupId, String memberId) {
        byte[] key = memberId == null ? groupKey(groupId) : memberKey(groupId, memberId);
        return new CoordinatorRecord(keyType, key, null);
    }

    private static byte[] groupKey(String groupId) {
        return new Payload.Writer().string(groupId).toByteArray();
    }

    private static byte[] memberKey(String groupId, String memberId) {
        return new Payload.Writer().string(groupId).string(memberId).toByteArray();
    }

    private static Payload.Writer value() {
        return new Payload.Writer().uvarint(VERSION);
    }

    private static Payload.Reader reader(byte[] value) {
        Payload.Reader reader = new Payload.Reader(value);
        int version = reader.uvarint();
        if (version < 0) {
            throw new IllegalArgumentException("Bad consumer group record version " + version);
        }
        return reader;
    }
}

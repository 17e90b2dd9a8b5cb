package io.millrace.coordinator.classic;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Key type 2, a classic group as of a completed rebalance. Stable on disk:
 * <pre>
 * key   = int16 version (0), string group id
 * value = int16 version (0), string protocol type (nullable), int32 generation,
 *         string protocol name (nullable), string leader id (nullable), int64 state timestamp,
 *         int32 member count, then per member: string member id, string group instance id
 *         (nullable), string client id, string client host, int32 rebalance timeout ms,
 *         int32 session timeout ms, bytes metadata of the chosen protocol, bytes assignment
 * null value = the group was deleted
 * </pre>
 * Strings are int16 length + UTF-8, bytes int32 length + bytes. Stateless.
 */
public final class ClassicGroupRecords {
    private static final short VERSION = 0;

    private ClassicGroupRecords() {
    }

    /** A member as persisted. */
    public record MemberSnapshot(String memberId, String groupInstanceId, String clientId, String clientHost,
                                 int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] metadata, byte[] assignment) {
    }

    /** A group as persisted. */
    public record Snapshot(String groupId, String protocolType, int generationId, String protocolName,
                           String leaderId, long stateTimestamp, List<MemberSnapshot> members) {
    }

    /** The group as it is, with each member's assignment taken from {@code assignments} (else its own). */
    static CoordinatorRecord of(ClassicGroup group, Map<String, byte[]> assignments) {
        PayloadWriter out = new PayloadWriter().putShort(VERSION).putString(group.protocolType)
                .putInt(group.generationId).putString(group.protocolName).putString(group.leaderId)
                .putLong(group.stateTimestamp).putInt(group.members.size());
        for (ClassicMember m : group.members.values()) {
            byte[] assignment = assignments.getOrDefault(m.memberId, m.assignment);
            out.putString(m.memberId).putString(m.groupInstanceId).putString(m.clientId).putString(m.clientHost)
                    .putInt(m.rebalanceTimeoutMs).putInt(m.sessionTimeoutMs)
                    .putBytes(group.protocolName == null ? ClassicMember.EMPTY : m.metadata(group.protocolName))
                    .putBytes(assignment == null ? ClassicMember.EMPTY : assignment);
        }
        return new CoordinatorRecord(CoordinatorRecord.CLASSIC_GROUP, key(group.groupId), out.toArray());
    }

    static CoordinatorRecord tombstone(String groupId) {
        return new CoordinatorRecord(CoordinatorRecord.CLASSIC_GROUP, key(groupId), null);
    }

    public static String readGroupId(byte[] key) {
        PayloadReader in = new PayloadReader(key);
        in.getShort();
        return in.getString();
    }

    public static Snapshot readValue(String groupId, byte[] value) {
        PayloadReader in = new PayloadReader(value);
        in.getShort();
        String protocolType = in.getString();
        int generation = in.getInt();
        String protocolName = in.getString();
        String leader = in.getString();
        long stateTimestamp = in.getLong();
        int count = in.getInt();
        List<MemberSnapshot> members = new ArrayList<>(Math.max(0, Math.min(count, 10_000)));
        for (int i = 0; i < count; i++) {
            members.add(new MemberSnapshot(in.getString(), in.getString(), in.getString(), in.getString(),
                    in.getInt(), in.getInt(), in.getBytes(), in.getBytes()));
        }
        return new Snapshot(groupId, protocolType, generation, protocolName, leader, stateTimestamp, members);
    }

    private static byte[] key(String groupId) {
        return new PayloadWriter().putShort(VERSION).putString(groupId).toArray();
    }
}

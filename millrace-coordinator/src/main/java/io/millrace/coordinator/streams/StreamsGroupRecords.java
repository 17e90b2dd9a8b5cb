package io.millrace.coordinator.streams;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.PayloadReader;
import io.millrace.coordinator.runtime.PayloadWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * The records of streams groups in {@code __consumer_offsets}, with Kafka's key type numbers
 * (the payloads are ours):
 * <pre>
 * 17 group metadata      key groupId; value short version, int groupEpoch, long topicsHash
 * 19 member              key groupId, memberId; value short version, instanceId, rackId, clientId,
 *                        clientHost, int rebalanceTimeoutMs, int topologyEpoch, processId,
 *                        endpointHost, int endpointPort, int n + n × (key, value) client tags,
 *                        offsets task offsets, offsets task end offsets, byte shutdownRequested
 * 20 target metadata     key groupId; value short version, int assignmentEpoch,
 *                        long notBeforeMs (no new target before then: initial delay, interval),
 *                        byte pending (the target at this epoch is the previous one, a new one
 *                        is due at notBeforeMs)
 * 21 target of a member  key groupId, memberId; value short version, tasks active, standby, warmup
 * 22 current assignment  key groupId, memberId; value short version, int memberEpoch,
 *                        int previousMemberEpoch, byte state, tasks active, standby, warmup,
 *                        pendingRevocation
 * 23 topology            key groupId; value short version, short topologyVersion, the topology as
 *                        StreamsGroupHeartbeat's Topology struct at that version
 * </pre>
 * {@code offsets} is int n + n × (string subtopologyId, int partition, long offset).
 * {@code tasks} is int n + n × (string subtopologyId, int m + m × int partition). Strings are
 * those of {@link PayloadWriter}. A null value is a tombstone. A reader ignores bytes past the
 * fields it knows, so a later version may append fields. Stateless.
 */
public final class StreamsGroupRecords {
    public static final short GROUP_METADATA = 17;
    public static final short MEMBER = 19;
    public static final short TARGET_METADATA = 20;
    public static final short TARGET_MEMBER = 21;
    public static final short CURRENT_ASSIGNMENT = 22;
    public static final short TOPOLOGY = 23;
    private static final short VERSION = 0;
    private static final short TOPOLOGY_STRUCT_VERSION = StreamsGroupHeartbeatRequestData.HIGHEST_SUPPORTED_VERSION;

    private StreamsGroupRecords() {
    }

    public record Key(String groupId, String memberId) {
    }

    public static boolean handles(short keyType) {
        return keyType == GROUP_METADATA || (keyType >= MEMBER && keyType <= TOPOLOGY);
    }

    public static Key key(CoordinatorRecord record) {
        PayloadReader reader = new PayloadReader(record.key());
        String groupId = reader.getString();
        return switch (record.keyType()) {
            case MEMBER, TARGET_MEMBER, CURRENT_ASSIGNMENT -> new Key(groupId, reader.getString());
            default -> new Key(groupId, null);
        };
    }

    public static CoordinatorRecord tombstone(short keyType, String groupId, String memberId) {
        return new CoordinatorRecord(keyType, key(groupId, memberId), null);
    }

    // ---- 17 ----
    public record GroupMetadata(int groupEpoch, long topicsHash) {
    }

    public static CoordinatorRecord groupMetadata(String groupId, int epoch, long topicsHash) {
        return new CoordinatorRecord(GROUP_METADATA, key(groupId, null),
                value().putInt(epoch).putLong(topicsHash).toArray());
    }

    public static GroupMetadata readGroupMetadata(byte[] value) {
        PayloadReader r = reader(value);
        return new GroupMetadata(r.getInt(), r.getLong());
    }

    // ---- 19 ----
    public static CoordinatorRecord member(String groupId, StreamsMember m) {
        PayloadWriter w = value().putString(m.instanceId()).putString(m.rackId()).putString(m.clientId())
                .putString(m.clientHost()).putInt(m.rebalanceTimeoutMs()).putInt(m.topologyEpoch())
                .putString(m.processId()).putString(m.endpointHost()).putInt(m.endpointPort())
                .putInt(m.clientTags().size());
        new TreeMap<>(m.clientTags()).forEach((k, v) -> w.putString(k).putString(v));
        offsets(w, m.taskOffsets());
        offsets(w, m.taskEndOffsets());
        w.putShort((short) (m.shutdownRequested() ? 1 : 0));
        return new CoordinatorRecord(MEMBER, key(groupId, m.memberId()), w.toArray());
    }

    public static StreamsMember readMember(String memberId, byte[] value) {
        PayloadReader r = reader(value);
        String instanceId = r.getString();
        String rackId = r.getString();
        String clientId = r.getString();
        String clientHost = r.getString();
        int rebalanceTimeoutMs = r.getInt();
        int topologyEpoch = r.getInt();
        String processId = r.getString();
        String endpointHost = r.getString();
        int endpointPort = r.getInt();
        int n = r.getInt();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            tags.put(r.getString(), r.getString());
        }
        Map<Tasks.TaskId, Long> offsets = offsets(r);
        Map<Tasks.TaskId, Long> endOffsets = offsets(r);
        boolean shutdown = r.remaining() >= 2 && r.getShort() != 0;
        return new StreamsMember(memberId, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs, topologyEpoch,
                processId, endpointHost, endpointPort, tags, offsets, endOffsets, shutdown);
    }

    // ---- 20, 21 ----
    public record TargetMetadata(int assignmentEpoch, long notBeforeMs, boolean pending) {
    }

    public static CoordinatorRecord targetMetadata(String groupId, int assignmentEpoch, long notBeforeMs,
                                                   boolean pending) {
        return new CoordinatorRecord(TARGET_METADATA, key(groupId, null),
                value().putInt(assignmentEpoch).putLong(notBeforeMs).putShort((short) (pending ? 1 : 0)).toArray());
    }

    public static TargetMetadata readTargetMetadata(byte[] value) {
        PayloadReader r = reader(value);
        int epoch = r.getInt();
        long notBefore = r.remaining() >= 8 ? r.getLong() : 0L;
        return new TargetMetadata(epoch, notBefore, r.remaining() >= 2 && r.getShort() != 0);
    }

    public static CoordinatorRecord target(String groupId, String memberId, TaskAssignment target) {
        PayloadWriter w = value();
        tasks(w, target.active());
        tasks(w, target.standby());
        tasks(w, target.warmup());
        return new CoordinatorRecord(TARGET_MEMBER, key(groupId, memberId), w.toArray());
    }

    public static TaskAssignment readTarget(byte[] value) {
        PayloadReader r = reader(value);
        return new TaskAssignment(tasks(r), tasks(r), tasks(r));
    }

    // ---- 22 ----
    public static CoordinatorRecord currentAssignment(String groupId, String memberId, StreamsMemberAssignment a) {
        PayloadWriter w = value().putInt(a.memberEpoch()).putInt(a.previousMemberEpoch());
        w.putShort(a.state().code);
        tasks(w, a.active());
        tasks(w, a.standby());
        tasks(w, a.warmup());
        tasks(w, a.pendingRevocation());
        return new CoordinatorRecord(CURRENT_ASSIGNMENT, key(groupId, memberId), w.toArray());
    }

    public static StreamsMemberAssignment readCurrentAssignment(byte[] value) {
        PayloadReader r = reader(value);
        int epoch = r.getInt();
        int previous = r.getInt();
        StreamsMemberAssignment.State state = StreamsMemberAssignment.State.of((byte) r.getShort());
        return new StreamsMemberAssignment(epoch, previous, state, tasks(r), tasks(r), tasks(r), tasks(r));
    }

    // ---- 23 ----
    public static CoordinatorRecord topology(String groupId, StreamsGroupHeartbeatRequestData.Topology topology) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = topology.size(cache, TOPOLOGY_STRUCT_VERSION);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        topology.write(new ByteBufferAccessor(buffer), cache, TOPOLOGY_STRUCT_VERSION);
        return new CoordinatorRecord(TOPOLOGY, key(groupId, null),
                value().putShort(TOPOLOGY_STRUCT_VERSION).putBytes(buffer.array()).toArray());
    }

    public static StreamsGroupHeartbeatRequestData.Topology readTopology(byte[] value) {
        PayloadReader r = reader(value);
        short version = r.getShort();
        return new StreamsGroupHeartbeatRequestData.Topology(new ByteBufferAccessor(ByteBuffer.wrap(r.getBytes())),
                version);
    }

    // ---- helpers ----
    private static void tasks(PayloadWriter w, Tasks tasks) {
        w.putInt(tasks.bySubtopology().size());
        tasks.forEach((id, partitions) -> {
            w.putString(id).putInt(partitions.size());
            partitions.forEach(w::putInt);
        });
    }

    private static Tasks tasks(PayloadReader r) {
        int n = r.getInt();
        Map<String, List<Integer>> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String id = r.getString();
            int m = r.getInt();
            List<Integer> ps = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                ps.add(r.getInt());
            }
            map.put(id, ps);
        }
        return Tasks.of(map);
    }

    private static void offsets(PayloadWriter w, Map<Tasks.TaskId, Long> offsets) {
        w.putInt(offsets.size());
        new TreeMap<>(offsets).forEach((t, o) -> w.putString(t.subtopologyId()).putInt(t.partition()).putLong(o));
    }

    /** Empty when the record was written before offsets were (an older member record). */
    private static Map<Tasks.TaskId, Long> offsets(PayloadReader r) {
        Map<Tasks.TaskId, Long> out = new TreeMap<>();
        if (r.remaining() < 4) {
            return out;
        }
        int n = r.getInt();
        for (int i = 0; i < n; i++) {
            out.put(new Tasks.TaskId(r.getString(), r.getInt()), r.getLong());
        }
        return out;
    }

    private static byte[] key(String groupId, String memberId) {
        PayloadWriter w = new PayloadWriter().putString(groupId);
        if (memberId != null) {
            w.putString(memberId);
        }
        return w.toArray();
    }

    private static PayloadWriter value() {
        return new PayloadWriter().putShort(VERSION);
    }

    private static PayloadReader reader(byte[] value) {
        PayloadReader r = new PayloadReader(value);
        r.getShort(); // version: fields only ever get appended
        return r;
    }
}

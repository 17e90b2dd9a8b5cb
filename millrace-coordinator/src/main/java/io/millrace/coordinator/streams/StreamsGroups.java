package io.millrace.coordinator.streams;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.group.GroupType;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The streams groups (KIP-1071, {@code group.protocol=streams}) of one {@code __consumer_offsets}
 * partition: a {@link GroupType} of the shard. State changes only through {@link #replay} of the
 * records of {@link StreamsGroupRecords}; {@link #heartbeat} returns records and changes nothing.
 * Confined to the shard's thread.
 */
public final class StreamsGroups implements GroupType {
    public static final String GROUP_TYPE = "streams";

    private final StreamsGroupConfig config;
    private final TopicsView topics;
    private final Map<String, StreamsGroup> groups = new HashMap<>();
    private final StreamsMembership membership;

    public StreamsGroups(StreamsGroupConfig config, TopicsView topics, CoordinatorTimer timer, Time time) {
        this(config, topics, timer, time, new LongAdder());
    }

    /** As above, counting each group epoch bump of a rebalance in {@code rebalances}. */
    public StreamsGroups(StreamsGroupConfig config, TopicsView topics, CoordinatorTimer timer, Time time,
                         LongAdder rebalances) {
        this.config = config;
        this.topics = topics;
        this.membership = new StreamsMembership(config, groups::get, topics, timer, time, rebalances);
    }

    @Override
    public String name() {
        return GROUP_TYPE;
    }

    @Override
    public boolean handles(short keyType) {
        return StreamsGroupRecords.handles(keyType);
    }

    @Override
    public void replay(CoordinatorRecord record) {
        StreamsGroupRecords.Key key = StreamsGroupRecords.key(record);
        byte[] value = record.value();
        if (value == null) {
            StreamsGroup group = groups.get(key.groupId());
            if (group == null) {
                return;
            }
            switch (record.keyType()) {
                case StreamsGroupRecords.GROUP_METADATA -> groups.remove(key.groupId());
                case StreamsGroupRecords.MEMBER -> group.removeMember(key.memberId());
                case StreamsGroupRecords.TARGET_MEMBER -> group.removeTarget(key.memberId());
                case StreamsGroupRecords.CURRENT_ASSIGNMENT -> group.removeAssignment(key.memberId());
                case StreamsGroupRecords.TARGET_METADATA -> group.applyAssignmentEpoch(0, 0L, false);
                case StreamsGroupRecords.TOPOLOGY -> group.applyTopology(null);
                default -> {
                }
            }
            return;
        }
        StreamsGroup group = groups.computeIfAbsent(key.groupId(), StreamsGroup::new);
        switch (record.keyType()) {
            case StreamsGroupRecords.GROUP_METADATA -> {
                StreamsGroupRecords.GroupMetadata m = StreamsGroupRecords.readGroupMetadata(value);
                group.applyMetadata(m.groupEpoch(), m.topicsHash());
            }
            case StreamsGroupRecords.MEMBER -> group.applyMember(StreamsGroupRecords.readMember(key.memberId(), value));
            case StreamsGroupRecords.TARGET_METADATA -> {
                StreamsGroupRecords.TargetMetadata m = StreamsGroupRecords.readTargetMetadata(value);
                group.applyAssignmentEpoch(m.assignmentEpoch(), m.notBeforeMs(), m.pending());
            }
            case StreamsGroupRecords.TARGET_MEMBER ->
                    group.applyTarget(key.memberId(), StreamsGroupRecords.readTarget(value));
            case StreamsGroupRecords.CURRENT_ASSIGNMENT ->
                    group.applyAssignment(key.memberId(), StreamsGroupRecords.readCurrentAssignment(value));
            case StreamsGroupRecords.TOPOLOGY -> group.applyTopology(StreamsGroupRecords.readTopology(value));
            default -> throw new IllegalArgumentException("Not a streams group record: key type " + record.keyType());
        }
    }

    @Override
    public void onLoaded() {
        groups.values().forEach(membership::afterLoad);
    }

    /** StreamsGroupHeartbeat as a write operation of the group's shard. */
    public CoordinatorResult<StreamsHeartbeatOutcome> heartbeat(StreamsGroupHeartbeatRequestData request,
                                                                GroupRequestContext client) {
        return membership.heartbeat(request, client);
    }

    /** StreamsGroupDescribe of one group; GROUP_ID_NOT_FOUND when it is not a streams group here. */
    public StreamsGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        StreamsGroup group = groups.get(groupId);
        if (group == null) {
            return new StreamsGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setGroupState(StreamsGroup.State.DEAD.displayName).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " not found.");
        }
        return StreamsGroupDescriber.describe(group, state(group));
    }

    /** The group's state as replayed (tests). */
    StreamsGroup group(String groupId) {
        return groups.get(groupId);
    }

    @Override
    public boolean contains(String groupId) {
        return groups.containsKey(groupId);
    }

    @Override
    public List<ListedGroup> listGroups() {
        List<ListedGroup> out = new ArrayList<>();
        groups.values().forEach(g -> out.add(new ListedGroup().setGroupId(g.groupId()).setProtocolType(GROUP_TYPE)
                .setGroupState(state(g).displayName).setGroupType(GROUP_TYPE)));
        return out;
    }

    private StreamsGroup.State state(StreamsGroup g) {
        boolean ready = g.topology() != null && ConfiguredTopology.of(g.topology(), topics).ready();
        return g.state(ready);
    }

    /** DescribeGroups (the classic API) of a streams group: GROUP_ID_NOT_FOUND, as Kafka answers. */
    @Override
    public DescribeGroupsResponseData.DescribedGroup describeClassic(String groupId) {
        return GroupType.notAClassicGroup(groupId);
    }

    @Override
    public boolean isEmpty(String groupId) {
        StreamsGroup g = groups.get(groupId);
        return g == null || g.isEmpty();
    }

    /** The source and repartition topics of its topology: OffsetDelete refuses those while it has members. */
    @Override
    public Set<String> subscribedTopics(String groupId) {
        StreamsGroup g = groups.get(groupId);
        Set<String> names = new TreeSet<>();
        if (g != null && !g.isEmpty() && g.topology() != null) {
            g.topology().subtopologies().forEach(s -> {
                names.addAll(s.sourceTopics());
                s.repartitionSourceTopics().forEach(t -> names.add(t.name()));
            });
        }
        return names;
    }

    /**
     * OffsetCommit against a streams group: as for consumer groups, a commit without a member
     * (epoch &lt; 0) only while the group is empty; else the member must exist and be at its epoch.
     */
    @Override
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                       short apiVersion) {
        StreamsGroup g = groups.get(groupId);
        if (g == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (memberEpoch < 0 && g.isEmpty()) {
            return Errors.NONE;
        }
        if (memberId == null || g.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        StreamsMemberAssignment a = g.assignment(memberId);
        if (memberEpoch == a.memberEpoch()) {
            return Errors.NONE;
        }
        // a commit sent before the member heard of its new epoch stands (what it owned is still its own)
        boolean previous = memberEpoch > 0 && memberEpoch == a.previousMemberEpoch();
        return previous ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    @Override
    public Errors validateTransactionalOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                                    int memberEpoch) {
        Errors error = validateOffsetCommit(groupId, memberId, memberEpoch, groupInstanceId, Short.MAX_VALUE);
        return error == Errors.STALE_MEMBER_EPOCH ? Errors.ILLEGAL_GENERATION : error;
    }

    @Override
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        StreamsGroup g = groups.get(groupId);
        if (g == null || memberId == null || memberEpoch < 0) {
            return Errors.NONE;
        }
        if (g.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return g.assignment(memberId).memberEpoch() == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    @Override
    public List<CoordinatorRecord> deletion(String groupId) {
        StreamsGroup g = groups.get(groupId);
        if (g == null) {
            return List.of();
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        g.targets().keySet().forEach(id -> records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.TARGET_MEMBER,
                groupId, id)));
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.TARGET_METADATA, groupId, null));
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.TOPOLOGY, groupId, null));
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.GROUP_METADATA, groupId, null));
        return records;
    }
}

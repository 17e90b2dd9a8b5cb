package io.millrace.coordinator.share;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.TopicsView.TopicInfo;
import io.millrace.coordinator.consumer.PartitionSet;
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
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share groups (KIP-932) of one {@code __consumer_offsets} partition: a {@link GroupType} of
 * the shard. State changes only through {@link #replay} of the records of {@link ShareGroupRecords};
 * {@link #heartbeat} returns records and changes nothing. Share groups commit no offsets here
 * (their progress is share-partition state), so the offset APIs answer GROUP_ID_NOT_FOUND for them.
 * Confined to the shard's thread.
 */
public final class ShareGroups implements GroupType {
    public static final String GROUP_TYPE = "share";
    /** What ShareGroupDescribe names as the assignor: every member gets every subscribed partition. */
    static final String ASSIGNOR_NAME = "simple";

    private final ShareGroupConfig config;
    private final TopicsView topics;
    private final Map<String, ShareGroup> groups = new HashMap<>();
    private final ShareMembership membership;

    public ShareGroups(ShareGroupConfig config, TopicsView topics, CoordinatorTimer timer) {
        this(config, topics, timer, new LongAdder());
    }

    /** As above, counting each group epoch bump in {@code rebalances}. */
    public ShareGroups(ShareGroupConfig config, TopicsView topics, CoordinatorTimer timer, LongAdder rebalances) {
        this.config = config;
        this.topics = topics;
        this.membership = new ShareMembership(config, groups::get, topics, timer, rebalances);
    }

    public ShareGroupConfig config() {
        return config;
    }

    @Override
    public String name() {
        return GROUP_TYPE;
    }

    @Override
    public boolean handles(short keyType) {
        return ShareGroupRecords.handles(keyType);
    }

    @Override
    public void replay(CoordinatorRecord record) {
        ShareGroupRecords.Key key = ShareGroupRecords.key(record);
        if (record.value() == null) {
            if (record.keyType() == ShareGroupRecords.GROUP_METADATA) {
                groups.remove(key.groupId());
            } else if (record.keyType() == ShareGroupRecords.STATE_TOPICS) {
                ShareGroup group = groups.get(key.groupId());
                if (group != null) {
                    group.applyStateTopics(Map.of());
                }
            } else {
                ShareGroup group = groups.get(key.groupId());
                if (group != null) {
                    group.removeMember(key.memberId());
                }
            }
            return;
        }
        ShareGroup group = groups.computeIfAbsent(key.groupId(), ShareGroup::new);
        switch (record.keyType()) {
            case ShareGroupRecords.GROUP_METADATA -> group.applyGroupEpoch(ShareGroupRecords.readGroupEpoch(record.value()));
            case ShareGroupRecords.MEMBER -> group.applyMember(ShareGroupRecords.readMember(key.memberId(), record.value()));
            case ShareGroupRecords.STATE_TOPICS -> group.applyStateTopics(ShareGroupRecords.readStateTopics(record.value()));
            default -> throw new IllegalArgumentException("Not a share group record: key type " + record.keyType());
        }
    }

    @Override
    public void onLoaded() {
        groups.values().forEach(membership::afterLoad);
    }

    /** ShareGroupHeartbeat as a write operation of the group's shard. */
    public CoordinatorResult<ShareGroupHeartbeatResponseData> heartbeat(ShareGroupHeartbeatRequestData request,
                                                                        GroupRequestContext client) {
        return membership.heartbeat(request, client);
    }

    /** The group, or null when it is not a share group here. */
    public ShareGroup group(String groupId) {
        return groups.get(groupId);
    }

    /**
     * The records adding {@code topics} (id to name) to the state topics of the share group
     * {@code groupId} (AlterShareGroupOffsets, before it writes their state); none when they are
     * there already or the group is not a share group here.
     */
    public CoordinatorResult<Void> addStateTopics(String groupId, Map<Uuid, String> topics) {
        ShareGroup group = groups.get(groupId);
        return new CoordinatorResult<>(group == null ? List.of() : ShareMembership.stateTopicsRecord(groupId, group, topics), null);
    }

    /** The names of the topics the group may have share-partition state of (by their recorded names). */
    public Set<String> stateTopicNames(String groupId) {
        ShareGroup group = groups.get(groupId);
        return group == null ? Set.of() : Set.copyOf(group.stateTopics().values());
    }

    /** ShareGroupDescribe of one group; GROUP_ID_NOT_FOUND when it is not a share group here. */
    public ShareGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        ShareGroup group = groups.get(groupId);
        if (group == null) {
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setGroupState(ShareGroup.State.DEAD.displayName).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a share group.");
        }
        ShareGroupDescribeResponseData.DescribedGroup described = new ShareGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId).setGroupState(group.state().displayName).setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.groupEpoch()).setAssignorName(ASSIGNOR_NAME);
        group.members().values().forEach(m -> described.members().add(new ShareGroupDescribeResponseData.Member()
                .setMemberId(m.memberId()).setRackId(m.rackId()).setMemberEpoch(m.memberEpoch())
                .setClientId(m.clientId()).setClientHost(m.clientHost())
                .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                .setAssignment(describedAssignment(m.assignment()))));
        return described;
    }

    private ShareGroupDescribeResponseData.Assignment describedAssignment(PartitionSet partitions) {
        List<ShareGroupDescribeResponseData.TopicPartitions> list = new ArrayList<>();
        partitions.asMap().forEach((topicId, ids) -> topics.byId(topicId).map(TopicInfo::name).ifPresent(name ->
                list.add(new ShareGroupDescribeResponseData.TopicPartitions().setTopicId(topicId).setTopicName(name)
                        .setPartitions(new ArrayList<>(ids)))));
        return new ShareGroupDescribeResponseData.Assignment().setTopicPartitions(list);
    }

    @Override
    public boolean contains(String groupId) {
        return groups.containsKey(groupId);
    }

    @Override
    public List<ListedGroup> listGroups() {
        List<ListedGroup> out = new ArrayList<>();
        groups.values().forEach(g -> out.add(new ListedGroup().setGroupId(g.groupId()).setProtocolType(GROUP_TYPE)
                .setGroupState(g.state().displayName).setGroupType(GROUP_TYPE)));
        return out;
    }

    /** DescribeGroups (the classic API) of a share group: GROUP_ID_NOT_FOUND, as Kafka answers. */
    @Override
    public DescribeGroupsResponseData.DescribedGroup describeClassic(String groupId) {
        return GroupType.notAClassicGroup(groupId);
    }

    @Override
    public boolean isEmpty(String groupId) {
        ShareGroup g = groups.get(groupId);
        return g == null || g.isEmpty();
    }

    @Override
    public Set<String> subscribedTopics(String groupId) {
        ShareGroup g = groups.get(groupId);
        Set<String> names = new TreeSet<>();
        if (g != null) {
            g.members().values().forEach(m -> names.addAll(m.subscribedTopicNames()));
        }
        return names;
    }

    /** Share groups keep no committed offsets: OffsetCommit to one is GROUP_ID_NOT_FOUND, as Kafka answers. */
    @Override
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                       short apiVersion) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Errors validateTransactionalOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                                    int memberEpoch) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public List<CoordinatorRecord> deletion(String groupId) {
        ShareGroup g = groups.get(groupId);
        if (g == null) {
            return List.of();
        }
        membership.cancelAll(g);
        return List.of(ShareGroupRecords.tombstone(ShareGroupRecords.STATE_TOPICS, groupId, null),
                ShareGroupRecords.tombstone(ShareGroupRecords.GROUP_METADATA, groupId, null));
    }
}

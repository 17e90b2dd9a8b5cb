package io.millrace.coordinator.consumer;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.common.Time;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.group.GroupType;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The consumer groups (KIP-848 {@code group.protocol=consumer}) of one {@code __consumer_offsets}
 * partition: the component a coordinator shard holds beside its offsets and classic groups.
 *
 * <p>State changes only through {@link #replay} of records of key types 3–8 (see
 * {@link ConsumerGroupRecords} for their encoding). Write operations ({@link #heartbeat}, the
 * timers they set, {@link #deleteGroupRecords}) return records and a response and change
 * nothing; the shard appends the records, then replays them. Read operations answer from the
 * replayed state.
 *
 * <p>Lifecycle: built empty; the shard replays its partition's records, then calls
 * {@link #onLoaded} so members' session timers start. Timers run their operations through the
 * shard's {@link CoordinatorTimer}.
 *
 * <p>Not thread-safe: confined to the shard's thread, like everything the shard holds.
 */
public final class ConsumerGroups implements GroupType {
    /** ListGroups' and DescribeGroups' protocol type and group type of these groups. */
    public static final String GROUP_TYPE = "consumer";
    /** OffsetCommit carries the member epoch from v9; members of these groups must use it. */
    static final short OFFSET_COMMIT_MEMBER_EPOCH_VERSION = 9;

    private final ConsumerGroupConfig config;
    private final Time time;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    private final GroupMembership membership;
    private final ConsumerGroupDescriber describer;

    /**
     * @param config the broker's consumer group settings
     * @param topics the cluster's topics now
     * @param timer  the shard's timers
     * @param time   the shard's clock
     */
    public ConsumerGroups(ConsumerGroupConfig config, TopicsView topics, CoordinatorTimer timer, Time time) {
        this(config, topics, timer, time, new LongAdder());
    }

    /** As above, counting each group epoch bump in {@code rebalances}. */
    public ConsumerGroups(ConsumerGroupConfig config, TopicsView topics, CoordinatorTimer timer, Time time,
                          LongAdder rebalances) {
        this.config = config;
        this.time = time;
        this.membership = new GroupMembership(config, groups::get, new SubscriptionResolver(topics), timer,
                rebalances);
        this.describer = new ConsumerGroupDescriber(topics, membership.targetAssignments());
    }

    @Override
    public String name() {
        return GROUP_TYPE;
    }

    /** A listed consumer group. */
    public record GroupListing(String groupId, ConsumerGroupState state) {
        public ListGroupsResponseData.ListedGroup toListedGroup() {
            return new ListGroupsResponseData.ListedGroup().setGroupId(groupId).setProtocolType(GROUP_TYPE)
                    .setGroupState(state.displayName()).setGroupType(GROUP_TYPE);
        }
    }

    // ---- replay -------------------------------------------------------------------------------

    /** True for the record key types {@link #replay} takes. */
    @Override
    public boolean handles(short keyType) {
        return ConsumerGroupRecords.isConsumerGroupRecord(keyType);
    }

    /** Applies one record of key type 3–8; the only way this state changes. */
    @Override
    public void replay(CoordinatorRecord record) {
        ConsumerGroupRecords.Key key = ConsumerGroupRecords.key(record);
        byte[] value = record.value();
        if (value == null) {
            replayTombstone(record.keyType(), key);
            return;
        }
        ConsumerGroup group = groups.computeIfAbsent(key.groupId(), ConsumerGroup::new);
        switch (record.keyType()) {
            case CoordinatorRecord.CONSUMER_GROUP_METADATA -> group.applyGroupEpoch(ConsumerGroupRecords.readGroupEpoch(value));
            case CoordinatorRecord.CONSUMER_GROUP_PARTITION_METADATA ->
                    group.applySubscriptionMetadata(ConsumerGroupRecords.readSubscriptionMetadata(value));
            case CoordinatorRecord.CONSUMER_GROUP_MEMBER ->
                    group.applyMember(ConsumerGroupRecords.readMember(key.memberId(), value));
            case CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA ->
                    group.applyAssignmentEpoch(ConsumerGroupRecords.readTargetEpoch(value));
            case CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER ->
                    group.applyTarget(key.memberId(), ConsumerGroupRecords.readTarget(value));
            case CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT ->
                    group.applyAssignment(key.memberId(), ConsumerGroupRecords.readCurrentAssignment(value));
            default -> throw new IllegalArgumentException("Not a consumer group record: key type " + record.keyType());
        }
    }

    private void replayTombstone(short keyType, ConsumerGroupRecords.Key key) {
        if (keyType == CoordinatorRecord.CONSUMER_GROUP_METADATA) {
            groups.remove(key.groupId());
            return;
        }
        ConsumerGroup group = groups.get(key.groupId());
        if (group == null) {
            return;
        }
        switch (keyType) {
            case CoordinatorRecord.CONSUMER_GROUP_PARTITION_METADATA -> group.applySubscriptionMetadata(List.of());
            case CoordinatorRecord.CONSUMER_GROUP_MEMBER -> group.removeMember(key.memberId());
            case CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA -> group.applyAssignmentEpoch(0);
            case CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER -> group.removeTarget(key.memberId());
            case CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT -> group.removeAssignment(key.memberId());
            default -> throw new IllegalArgumentException("Not a consumer group record: key type " + keyType);
        }
    }

    /** After the shard has replayed its partition: starts every member's session timer afresh. */
    @Override
    public void onLoaded() {
        groups.values().forEach(group -> membership.timers().afterLoad(group, config.sessionTimeoutMs(group.groupId())));
    }

    /** The shard stops: its runtime drops every timer; nothing else to release. */
    @Override
    public void onUnloaded() {
    }

    // ---- writes -------------------------------------------------------------------------------

    /**
     * ConsumerGroupHeartbeat: join (epoch 0), heartbeat and reconcile, leave (-1), or leave for
     * now as a static member (-2). Errors are in the response, never thrown.
     *
     * @param now the shard's clock; timers are relative to when the records are written
     */
    public CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroupHeartbeatRequestData request,
                                                                           GroupRequestContext client, long now) {
        return membership.heartbeat(request, client);
    }

    /** {@link #heartbeat(ConsumerGroupHeartbeatRequestData, GroupRequestContext, long)} at the shard's time. */
    public CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroupHeartbeatRequestData request,
                                                                           GroupRequestContext client) {
        return heartbeat(request, client, time.milliseconds());
    }

    /**
     * The tombstones that delete an empty group's own records (DeleteGroups, or expiry of an
     * empty group; the shard deletes its offsets). Check {@link #isEmpty} first; empty for an
     * unknown group.
     */
    @Override
    public List<CoordinatorRecord> deletion(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return List.of();
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        group.targets().keySet().forEach(id -> records.add(ConsumerGroupRecords.tombstone(
                CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER, groupId, id)));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_PARTITION_METADATA, groupId, null));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA,
                groupId, null));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_METADATA, groupId, null));
        return records;
    }

    // ---- reads --------------------------------------------------------------------------------

    /** True when {@code groupId} is a consumer group here (with or without members). */
    @Override
    public boolean contains(String groupId) {
        return groups.containsKey(groupId);
    }

    @Override
    public boolean isEmpty(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        return group == null || group.isEmpty();
    }

    /** The names of the topics the members subscribe to, by name or matched by their patterns. */
    @Override
    public Set<String> subscribedTopics(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        Set<String> names = new TreeSet<>();
        if (group != null) {
            group.members().values().forEach(m -> names.addAll(m.subscribedTopicNames()));
            group.subscriptionMetadata().forEach(t -> names.add(t.name()));
        }
        return names;
    }

    /** The group's state; empty when it is not a consumer group here. */
    public Optional<ConsumerGroupState> state(String groupId) {
        return Optional.ofNullable(groups.get(groupId)).map(ConsumerGroup::state);
    }

    /** Every consumer group here, in no particular order. */
    public List<GroupListing> listings() {
        return groups.values().stream().map(g -> new GroupListing(g.groupId(), g.state())).toList();
    }

    @Override
    public List<ListGroupsResponseData.ListedGroup> listGroups() {
        return listings().stream().map(GroupListing::toListedGroup).toList();
    }

    /**
     * DescribeGroups (the classic API) of a consumer group: as Kafka answers, GROUP_ID_NOT_FOUND,
     * which makes the admin client use ConsumerGroupDescribe.
     */
    @Override
    public DescribeGroupsResponseData.DescribedGroup describeClassic(String groupId) {
        return GroupType.notAClassicGroup(groupId);
    }

    /** ConsumerGroupDescribe of one group; GROUP_ID_NOT_FOUND in the result when it is not one here. */
    public DescribedGroup describe(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return new DescribedGroup().setGroupId(groupId).setGroupState(ConsumerGroupState.DEAD.displayName())
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a consumer group");
        }
        return describer.describe(group);
    }

    /**
     * OffsetCommit's check of the committing member for a consumer group here. A commit without
     * a member (epoch &lt; 0: admin tools, assign() consumers) is allowed while the group has no
     * members. Otherwise the member must exist (UNKNOWN_MEMBER_ID) and be at the given epoch or,
     * not having heard of its latest bump yet, at its previous one (else STALE_MEMBER_EPOCH). GROUP_ID_NOT_FOUND when it is not a consumer group here.
     */
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (memberEpoch < 0 && group.isEmpty()) {
            return Errors.NONE;
        }
        if (memberId == null || group.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        MemberAssignment assignment = group.assignment(memberId);
        if (assignment.memberEpoch() == memberEpoch) {
            return Errors.NONE;
        }
        // The simplest case of KIP-1251 (assignment epochs): a member's epoch only advances once it
        // has given up what it had to revoke, so everything it owned at its previous epoch is still
        // its own; a commit sent before it heard of the new epoch (a rebalance racing a close) stands.
        // Epoch 0 is a member that owned nothing yet.
        boolean previous = memberEpoch > 0 && memberEpoch < assignment.memberEpoch()
                && memberEpoch == assignment.previousMemberEpoch();
        return previous ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /**
     * {@inheritDoc}
     *
     * <p>As {@link #validateOffsetCommit(String, String, int)}; and a member of the group must commit
     * with OffsetCommit v9+, which carries its epoch (UNSUPPORTED_VERSION before).
     */
    @Override
    public Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                       short apiVersion) {
        ConsumerGroup group = groups.get(groupId);
        if (group != null && memberEpoch >= 0 && memberId != null && group.member(memberId) != null
                && apiVersion < OFFSET_COMMIT_MEMBER_EPOCH_VERSION) {
            return Errors.UNSUPPORTED_VERSION;
        }
        return validateOffsetCommit(groupId, memberId, memberEpoch);
    }

    /** TxnOffsetCommit's check: as {@link #validateOffsetCommit}, but a wrong epoch is ILLEGAL_GENERATION. */
    @Override
    public Errors validateTransactionalOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                                    int memberEpoch) {
        Errors error = validateOffsetCommit(groupId, memberId, memberEpoch);
        return error == Errors.STALE_MEMBER_EPOCH ? Errors.ILLEGAL_GENERATION : error;
    }

    /**
     * OffsetFetch's check (v9+ carries the member): NONE without a member (id null or epoch
     * -1, as admin tools send) or for an unknown group; else UNKNOWN_MEMBER_ID or
     * STALE_MEMBER_EPOCH as for a commit.
     */
    @Override
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null || memberId == null || memberEpoch < 0) {
            return Errors.NONE;
        }
        if (group.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return group.assignment(memberId).memberEpoch() == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }
}

package io.millrace.coordinator.group;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * One kind of group a {@link GroupCoordinatorShard} holds (classic, consumer, streams): the
 * records it owns and their replay, and what the APIs that span group types (ListGroups,
 * DescribeGroups, DeleteGroups, OffsetCommit, TxnOffsetCommit, OffsetFetch, OffsetDelete, offset
 * expiry) ask of a group of this type. The shard keeps them in its {@link GroupTypes}; a group id
 * belongs to one type at a time. The type's own APIs (JoinGroup, ConsumerGroupHeartbeat,
 * StreamsGroupHeartbeat, ...) run against the shard's typed accessor of the component.
 *
 * <p>One instance per shard, called on the shard's thread only.
 */
public interface GroupType {

    /** The group type as ListGroups names it ("classic", "consumer", "streams"). */
    String name();

    /** Whether records of this key type are this type's. */
    boolean handles(short keyType);

    /** Applies one of its records (loaded, or just appended by one of its operations). */
    void replay(CoordinatorRecord record);

    /** Every record is replayed: start timers (session timeouts, ...). */
    default void onLoaded() {
    }

    /** The partition is no longer served here. */
    default void onUnloaded() {
    }

    /** Whether a group of this type with this id exists in this shard. */
    boolean contains(String groupId);

    /** ListGroups entries of every group of this type in this shard, unfiltered. */
    List<ListedGroup> listGroups();

    /** DescribeGroups (the classic API) of an existing group of this type. */
    DescribedGroup describeClassic(String groupId);

    /**
     * What DescribeGroups (the classic API) answers for a group of a newer type, as Kafka does:
     * GROUP_ID_NOT_FOUND, state Dead, so the admin client turns to that type's own describe API.
     */
    static DescribedGroup notAClassicGroup(String groupId) {
        return new DescribedGroup().setGroupId(groupId).setGroupState("Dead").setProtocolType("").setProtocolData("")
                .setErrorCode(org.apache.kafka.common.protocol.Errors.GROUP_ID_NOT_FOUND.code())
                .setErrorMessage("Group " + groupId + " is not a classic group.");
    }

    /** Whether the existing group has no members: it may be deleted. */
    boolean isEmpty(String groupId);

    /** Whether the committed offsets of the existing group may expire now (no members, no rebalance). */
    default boolean offsetsMayExpire(String groupId) {
        return isEmpty(groupId);
    }

    /**
     * Topics the group consumes: OffsetDelete refuses those. Null when the group has members whose
     * topics are unknown (OffsetDelete answers NON_EMPTY_GROUP).
     */
    Set<String> subscribedTopics(String groupId);

    /** OffsetCommit checks against an existing group (the generation field carries a member epoch for new types). */
    Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                short apiVersion);

    /** TxnOffsetCommit checks (KIP-447) against an existing group. */
    Errors validateTransactionalOffsetCommit(String groupId, String memberId, String groupInstanceId,
                                             int memberEpoch);

    /** OffsetFetch v9+ checks of the member id and epoch; NONE when the fetch may go ahead. */
    Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch);

    /** The records that delete an empty group (its offsets are deleted by the shard). */
    List<CoordinatorRecord> deletion(String groupId);
}

package io.millrace.coordinator.group;

import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorShard;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * Where KIP-848 consumer groups plug into a {@link GroupCoordinatorShard}: the shard hands this
 * component every record of key types 3 to 8 and asks it about its groups when serving requests
 * that span group types (ListGroups, DescribeGroups, DeleteGroups, OffsetCommit, OffsetFetch,
 * OffsetDelete, offset expiry). Its own write operations (ConsumerGroupHeartbeat, ...) run
 * through {@link GroupCoordinatorService#write} against {@link GroupCoordinatorShard#consumerGroups()}.
 *
 * <p>Implemented by {@code io.millrace.coordinator.consumer.ConsumerGroups}; until then
 * {@link NoConsumerGroups} stands in. One instance per shard, called on the shard's thread only.
 */
public interface ConsumerGroupsHook {

    /** Builds the component of one shard. */
    @FunctionalInterface
    interface Factory {
        ConsumerGroupsHook create(CoordinatorShard.Context context, TopicsView topics);
    }

    /** Applies one record of key type 3 to 8 (loaded, or just appended by one of its operations). */
    void replay(CoordinatorRecord record);

    /** Every record is replayed: start timers (session timeouts, ...). */
    default void onLoaded() {
    }

    /** The partition is no longer served here. */
    default void onUnloaded() {
    }

    /** Whether a consumer group with this id exists in this shard. */
    boolean contains(String groupId);

    /** ListGroups entries of every consumer group of this shard (group type "consumer"), unfiltered. */
    List<ListedGroup> listGroups();

    /** DescribeGroups (the classic API) of an existing consumer group. */
    DescribedGroup describeClassic(String groupId);

    /** Whether the group has no members (it may be deleted and its offsets may expire). */
    boolean isEmpty(String groupId);

    /** Topics the group's members subscribe to: OffsetDelete refuses those. */
    Set<String> subscribedTopics(String groupId);

    /**
     * OffsetCommit checks against an existing consumer group (member id and member epoch, which
     * arrives in the generation field).
     */
    Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                short apiVersion);

    /**
     * TxnOffsetCommit checks (KIP-447) against an existing consumer group: as OffsetCommit's, whatever
     * the API version, and a stale member epoch is ILLEGAL_GENERATION (as Kafka answers).
     */
    Errors validateTransactionalOffsetCommit(String groupId, String memberId, int memberEpoch);

    /** OffsetFetch v9+ checks of the member id and epoch; NONE when the fetch may go ahead. */
    Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch);

    /** The records that delete an empty group (its offsets are deleted by the shard). */
    List<CoordinatorRecord> deletion(String groupId);
}

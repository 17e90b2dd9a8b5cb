package io.millrace.coordinator.consumer;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.classic.ClassicGroup;
import io.millrace.coordinator.classic.ClassicGroups;
import io.millrace.coordinator.group.GroupCoordinatorShard;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The KIP-848 APIs as operations on one {@link GroupCoordinatorShard}, which the server's handlers
 * submit through {@code GroupCoordinatorService.write}/{@code read}. This is where consumer groups
 * meet the shard's classic groups: a group id is of one type at a time.
 * <ul>
 *   <li>A classic group with members keeps its id: a consumer-protocol heartbeat for it gets
 *       GROUP_ID_NOT_FOUND, as from Kafka.</li>
 *   <li>An empty classic group becomes a consumer group when a consumer-protocol member joins
 *       (Kafka's upgrade of an empty group): its record is deleted in the same batch. Its
 *       committed offsets stay.</li>
 * </ul>
 * Stateless; each method runs on the shard's thread.
 */
public final class ConsumerGroupApis {
    private ConsumerGroupApis() {
    }

    /** ConsumerGroupHeartbeat, as a write operation of the shard owning {@code request.groupId()}. */
    public static CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(
            GroupCoordinatorShard shard, GroupRequestContext context, ConsumerGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        if (groupId != null && !groupId.isEmpty() && !GroupIds.isValid(groupId)) {
            return CoordinatorResult.of(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()).setErrorMessage("Group id is too long."));
        }
        ConsumerGroups groups = shard.consumerGroups();
        if (groupId != null && shard.groupTypes().owner(groupId).filter(t -> t != groups
                && t != shard.groupTypes().all().get(0)).isPresent()) {
            return CoordinatorResult.of(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a consumer group."));
        }
        ClassicGroups classicGroups = shard.classicGroups();
        ClassicGroup classic = groupId == null || groups.contains(groupId) ? null : classicGroups.get(groupId);
        if (classic != null && !classicGroups.isIdle(classic)) {
            return CoordinatorResult.of(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is a classic group with members, not a consumer group."));
        }
        CoordinatorResult<ConsumerGroupHeartbeatResponseData> result = groups.heartbeat(request, context);
        if (classic == null || result.records().isEmpty()) {
            return result;
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        records.add(classicGroups.deletion(groupId));
        records.addAll(result.records());
        return new CoordinatorResult<>(records, result.response());
    }

    /** ConsumerGroupDescribe of one group, as a read operation of its shard. */
    public static DescribedGroup describe(GroupCoordinatorShard shard, String groupId) {
        if (!GroupIds.isValid(groupId)) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return shard.consumerGroups().describe(groupId);
    }

}

package io.millrace.coordinator.streams;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.group.GroupCoordinatorShard;
import io.millrace.coordinator.group.IdleClassicTakeover;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.List;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The KIP-1071 APIs as operations on one {@link GroupCoordinatorShard}. A group id of another
 * type answers GROUP_ID_NOT_FOUND, except an empty classic group (a "simple" group's offsets, or an
 * emptied classic group), which becomes a streams group in the same batch. Stateless; shard thread.
 */
public final class StreamsGroupApis {
    private StreamsGroupApis() {
    }

    public static CoordinatorResult<StreamsHeartbeatOutcome> heartbeat(GroupCoordinatorShard shard,
                                                                       GroupRequestContext context,
                                                                       StreamsGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        if (groupId != null && !groupId.isEmpty() && !GroupIds.isValid(groupId)) {
            return error(Errors.INVALID_GROUP_ID, "Group id is too long.");
        }
        StreamsGroups groups = shard.streamsGroups();
        return IdleClassicTakeover.heartbeat(shard, groupId, groups, () -> groups.heartbeat(request, context),
                () -> error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a streams group."));
    }

    public static DescribedGroup describe(GroupCoordinatorShard shard, String groupId) {
        if (!GroupIds.isValid(groupId)) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return shard.streamsGroups().describe(groupId);
    }

    private static CoordinatorResult<StreamsHeartbeatOutcome> error(Errors error, String message) {
        return CoordinatorResult.of(new StreamsHeartbeatOutcome(new StreamsGroupHeartbeatResponseData()
                .setErrorCode(error.code()).setErrorMessage(message), List.of()));
    }
}

package io.millrace.coordinator.share;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.group.GroupCoordinatorShard;
import io.millrace.coordinator.group.IdleClassicTakeover;
import io.millrace.coordinator.runtime.CoordinatorResult;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The KIP-932 group APIs as operations on one {@link GroupCoordinatorShard}. A group id another
 * type holds answers GROUP_ID_NOT_FOUND ("not a share group"), except an idle classic group (only
 * committed offsets, or emptied), which becomes a share group in the same batch, as streams groups
 * do here. Stateless; shard thread.
 */
public final class ShareGroupApis {
    private ShareGroupApis() {
    }

    public static CoordinatorResult<ShareGroupHeartbeatResponseData> heartbeat(GroupCoordinatorShard shard,
                                                                           GroupRequestContext context,
                                                                           ShareGroupHeartbeatRequestData request) {
        String groupId = request.groupId();
        if (!GroupIds.isValid(groupId)) {
            return error(Errors.INVALID_GROUP_ID, "Group id is invalid.");
        }
        ShareGroups groups = shard.shareGroups();
        return IdleClassicTakeover.heartbeat(shard, groupId, groups, () -> groups.heartbeat(request, context),
                () -> error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group."));
    }

    public static DescribedGroup describe(GroupCoordinatorShard shard, String groupId) {
        if (!GroupIds.isValid(groupId)) {
            return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        return shard.shareGroups().describe(groupId);
    }

    private static CoordinatorResult<ShareGroupHeartbeatResponseData> error(Errors error, String message) {
        return CoordinatorResult.of(new ShareGroupHeartbeatResponseData().setErrorCode(error.code())
                .setErrorMessage(message));
    }
}

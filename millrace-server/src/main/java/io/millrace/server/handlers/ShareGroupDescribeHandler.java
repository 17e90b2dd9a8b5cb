package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.share.ShareGroupApis;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareGroupDescribe v1: each group read on its coordinator shard; a group that is not a share
 * group is GROUP_ID_NOT_FOUND. As in Kafka: DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED)
 * and on the topics its members are assigned (else TOPIC_AUTHORIZATION_FAILED); the authorized
 * operations, when asked for, are those the principal may do. Stateless.
 */
public final class ShareGroupDescribeHandler implements ApiHandler<ShareGroupDescribeRequestData> {
    private final GroupCoordinatorService coordinator;

    public ShareGroupDescribeHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ShareGroupDescribeResponseData> handle(RequestContext context,
                                                                    ShareGroupDescribeRequestData request) {
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            if (groupId == null || groupId.isEmpty()) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup()
                        .setGroupId(groupId == null ? "" : groupId).setErrorCode(Errors.INVALID_GROUP_ID.code())));
                continue;
            }
            if (!context.authorization().allowsGroup(AclOperation.DESCRIBE, groupId)) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                continue;
            }
            futures.add(coordinator.read(groupId, shard -> ShareGroupApis.describe(shard, groupId))
                    .exceptionally(t -> new DescribedGroup().setGroupId(groupId)
                            .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code())));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ShareGroupDescribeResponseData response = new ShareGroupDescribeResponseData();
            for (CompletableFuture<DescribedGroup> future : futures) {
                DescribedGroup group = future.join();
                if (request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                    group.setAuthorizedOperations(AuthorizedOperations.group(context.authorization(), group.groupId()));
                }
                response.groups().add(DescribedGroupTopics.checked(context.authorization(), group));
            }
            return response;
        });
    }
}

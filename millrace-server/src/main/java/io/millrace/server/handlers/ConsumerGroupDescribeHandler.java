package io.millrace.server.handlers;

import io.millrace.coordinator.consumer.ConsumerGroupApis;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupDescribe: each group read on its coordinator shard. A group that is not a
 * consumer group (unknown, or classic) is GROUP_ID_NOT_FOUND, on which the admin client falls
 * back to DescribeGroups. Needs DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED); the
 * authorized operations, when asked for, are those the principal may do (-2^31 means "not asked"); a
 * group assigning topics the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED, as in Kafka 4.x.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequestData> {
    private final GroupCoordinatorService coordinator;

    public ConsumerGroupDescribeHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(RequestContext context,
                                                                       ConsumerGroupDescribeRequestData request) {
        List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            if (groupId == null || groupId.isEmpty()) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId == null ? "" : groupId)
                        .setErrorCode(Errors.INVALID_GROUP_ID.code())));
                continue;
            }
            if (!context.authorization().allowsGroup(AclOperation.DESCRIBE, groupId)) {
                futures.add(CompletableFuture.completedFuture(new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                continue;
            }
            futures.add(coordinator.read(groupId, shard -> ConsumerGroupApis.describe(shard, groupId))
                    .exceptionally(t -> new DescribedGroup().setGroupId(groupId)
                            .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code())));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
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

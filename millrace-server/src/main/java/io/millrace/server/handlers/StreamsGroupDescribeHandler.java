package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.streams.StreamsGroupApis;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * StreamsGroupDescribe: each group read on its coordinator shard; a group that is not a streams
 * group is GROUP_ID_NOT_FOUND. Needs DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED); the
 * authorized operations, when asked for, are those the principal may do; a group whose topology
 * names a topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED, as in Kafka 4.x. No
 * topology description (no plugin stores one): its status says so.
 */
public final class StreamsGroupDescribeHandler implements ApiHandler<StreamsGroupDescribeRequestData> {
    private final GroupCoordinatorService coordinator;

    public StreamsGroupDescribeHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    /** The versions written here (a newer kafka-clients must not advertise more by itself). */
    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.STREAMS_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<StreamsGroupDescribeResponseData> handle(RequestContext context,
                                                                      StreamsGroupDescribeRequestData request) {
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
            futures.add(coordinator.read(groupId, shard -> StreamsGroupApis.describe(shard, groupId))
                    .exceptionally(t -> new DescribedGroup().setGroupId(groupId)
                            .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code())));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            StreamsGroupDescribeResponseData response = new StreamsGroupDescribeResponseData();
            for (CompletableFuture<DescribedGroup> future : futures) {
                DescribedGroup group = future.join();
                if (context.apiVersion() == 0) {
                    group.setAssignorName(new DescribedGroup().assignorName()); // a v1 field
                }
                if (request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                    group.setAuthorizedOperations(AuthorizedOperations.group(context.authorization(), group.groupId()));
                }
                response.groups().add(DescribedGroupTopics.checked(context.authorization(), group));
            }
            return response;
        });
    }
}

package io.millrace.server.handlers;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.share.ShareGroupApis;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareGroupHeartbeat (KIP-932) v1, the only version Kafka 4.x clients send (the member chooses
 * its own id): the heartbeat runs as a write on the group's coordinator shard; coordinator errors
 * become the response's error code. As in Kafka, the member needs READ on the group and DESCRIBE on
 * every topic it subscribes to. Stateless.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler<ShareGroupHeartbeatRequestData> {
    private final GroupCoordinatorService coordinator;

    public ShareGroupHeartbeatHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
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
    public CompletableFuture<ShareGroupHeartbeatResponseData> handle(RequestContext context,
                                                                     ShareGroupHeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("GroupId can't be empty."));
        }
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        if (request.subscribedTopicNames() != null) {
            List<String> denied = request.subscribedTopicNames().stream()
                    .filter(t -> !context.authorization().allowsTopic(AclOperation.DESCRIBE, t)).sorted().toList();
            if (!denied.isEmpty()) {
                return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponseData()
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("The group is not authorized to describe topics " + denied));
            }
        }
        GroupRequestContext group = GroupContexts.of(context);
        return coordinator.write(request.groupId(), "share-group-heartbeat",
                        shard -> ShareGroupApis.heartbeat(shard, group, request))
                .exceptionally(t -> new ShareGroupHeartbeatResponseData()
                        .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code()));
    }
}

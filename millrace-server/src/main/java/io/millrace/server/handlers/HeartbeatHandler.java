package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** Heartbeat of a classic group member: keeps its session, tells it when to rejoin. Needs READ on the group. */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData> {
    private final GroupCoordinatorService coordinator;

    public HeartbeatHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        return coordinator.heartbeat(GroupContexts.of(context), request);
    }
}

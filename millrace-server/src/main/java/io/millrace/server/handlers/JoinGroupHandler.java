package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** JoinGroup of the classic protocol; the answer may wait for the rebalance's join phase to end. Needs READ on the group. */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData> {
    private final GroupCoordinatorService coordinator;

    public JoinGroupHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        short version = context.apiVersion();
        return coordinator.joinGroup(GroupContexts.of(context), request).thenApply(response -> {
            if (version < 7) {
                response.setProtocolType(null);
            }
            if (version < 5) {
                response.members().forEach(m -> m.setGroupInstanceId(null));
            }
            return response;
        });
    }
}

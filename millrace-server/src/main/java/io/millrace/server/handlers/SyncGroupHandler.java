package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** SyncGroup: the leader hands out the assignment; every member gets its own bytes back. Needs READ on the group. */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData> {
    private final GroupCoordinatorService coordinator;

    public SyncGroupHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        short version = context.apiVersion();
        return coordinator.syncGroup(GroupContexts.of(context), request).thenApply(response -> {
            if (version < 5) {
                response.setProtocolType(null).setProtocolName(null);
            }
            return response;
        });
    }
}

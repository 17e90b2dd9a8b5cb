package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** SyncGroup: the leader hands out the assignment; every member gets its own bytes back. */
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
        short version = context.apiVersion();
        return coordinator.syncGroup(GroupContexts.of(context), request).thenApply(response -> {
            if (version < 5) {
                response.setProtocolType(null).setProtocolName(null);
            }
            return response;
        });
    }
}

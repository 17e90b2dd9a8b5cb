package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** DescribeGroups: state, protocol and members (with metadata and assignment once Stable). */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData> {
    private final GroupCoordinatorService coordinator;

    public DescribeGroupsHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(RequestContext context, DescribeGroupsRequestData request) {
        short version = context.apiVersion();
        return coordinator.describeGroups(GroupContexts.of(context), request.groups()).thenApply(groups -> {
            groups.forEach(g -> {
                if (version < 6) {
                    g.setErrorMessage(null);
                }
                if (version < 4) {
                    g.members().forEach(m -> m.setGroupInstanceId(null));
                }
            });
            return new DescribeGroupsResponseData().setGroups(new ArrayList<>(groups));
        });
    }
}

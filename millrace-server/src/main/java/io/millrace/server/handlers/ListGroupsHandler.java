package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups of every coordinator partition on this node, filtered by state (v4+) and type (v5+);
 * without DESCRIBE on the cluster, only the groups the principal may DESCRIBE. Stateless.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {
    private final GroupCoordinatorService coordinator;

    public ListGroupsHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
        short version = context.apiVersion();
        Authorization authorization = context.authorization();
        boolean all = authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.CLUSTER, Authorization.CLUSTER);
        return coordinator.listGroups(request.statesFilter(), request.typesFilter()).thenApply(response -> {
            if (!all) {
                response.groups().removeIf(g -> !authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.GROUP,
                        g.groupId()));
            }
            response.groups().forEach(g -> {
                if (version < 4) {
                    g.setGroupState("");
                }
                if (version < 5) {
                    g.setGroupType("");
                }
            });
            return response;
        });
    }
}

package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteGroups: empty groups and their offsets; NON_EMPTY_GROUP for groups with members. Needs
 * DELETE on each group (else GROUP_AUTHORIZATION_FAILED for it). Stateless.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {
    private final GroupCoordinatorService coordinator;

    public DeleteGroupsHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (String groupId : request.groupsNames()) {
            (context.authorization().allowsGroup(AclOperation.DELETE, groupId) ? allowed : denied).add(groupId);
        }
        CompletableFuture<DeleteGroupsResponseData> deleted = allowed.isEmpty()
                ? CompletableFuture.completedFuture(new DeleteGroupsResponseData()) : coordinator.deleteGroups(allowed);
        return deleted.thenApply(response -> {
            denied.forEach(groupId -> response.results().add(new DeletableGroupResult().setGroupId(groupId)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return response;
        });
    }
}

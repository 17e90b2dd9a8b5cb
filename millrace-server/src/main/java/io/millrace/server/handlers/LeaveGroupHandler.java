package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** LeaveGroup: one member before v3, a batch (with static members by instance id) from v3. Needs READ on the group. */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData> {
    private final GroupCoordinatorService coordinator;

    public LeaveGroupHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestContext context, LeaveGroupRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        return coordinator.leaveGroup(GroupContexts.of(context), request);
    }
}

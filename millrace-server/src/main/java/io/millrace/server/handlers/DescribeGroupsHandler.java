package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups: state, protocol and members (with metadata and assignment once Stable). Needs
 * DESCRIBE on each group (else GROUP_AUTHORIZATION_FAILED for it); the authorized operations, when
 * asked for (v3+), are those the principal may do. Stateless.
 */
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
        List<String> allowed = request.groups().stream()
                .filter(g -> context.authorization().allowsGroup(AclOperation.DESCRIBE, g)).toList();
        CompletableFuture<List<DescribedGroup>> described = allowed.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : coordinator.describeGroups(GroupContexts.of(context), allowed);
        return described.thenApply(found -> {
            List<DescribedGroup> groups = inRequestOrder(request.groups(), allowed, found);
            groups.forEach(g -> {
                if (version < 6) {
                    g.setErrorMessage(null);
                }
                if (version < 4) {
                    g.members().forEach(m -> m.setGroupInstanceId(null));
                }
                if (request.includeAuthorizedOperations() && g.errorCode() != Errors.GROUP_AUTHORIZATION_FAILED.code()) {
                    g.setAuthorizedOperations(AuthorizedOperations.group(context.authorization(), g.groupId()));
                }
            });
            return new DescribeGroupsResponseData().setGroups(new ArrayList<>(groups));
        });
    }

    /** The described groups, with GROUP_AUTHORIZATION_FAILED in place of those the principal may not describe. */
    private static List<DescribedGroup> inRequestOrder(List<String> requested, List<String> allowed,
                                                       List<DescribedGroup> found) {
        if (allowed.size() == requested.size()) {
            return found;
        }
        List<DescribedGroup> groups = new ArrayList<>(requested.size());
        int next = 0;
        for (String groupId : requested) {
            if (next < allowed.size() && allowed.get(next).equals(groupId)) {
                groups.add(found.get(next++));
            } else {
                groups.add(new DescribedGroup().setGroupId(groupId).setGroupState("").setProtocolType("")
                        .setProtocolData("").setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
        }
        return groups;
    }
}

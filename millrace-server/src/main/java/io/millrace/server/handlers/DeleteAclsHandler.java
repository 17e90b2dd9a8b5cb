package io.millrace.server.handlers;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.DeleteAcls;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteAcls: the controller deletes every ACL matching any filter and answers, per filter, the
 * ACLs it matched (or INVALID_REQUEST for a filter with an unknown part). Needs ALTER on the
 * cluster; without an authorizer, SECURITY_DISABLED, as in Kafka. Stateless.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {
    private final ControllerChannel controller;

    public DeleteAclsHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<DeleteAclsResponseData> handle(RequestContext context, DeleteAclsRequestData request) {
        if (!context.authorization().enabled()) {
            return CompletableFuture.failedFuture(Errors.SECURITY_DISABLED.exception(AclMessages.NO_AUTHORIZER));
        }
        if (!context.authorization().allowsCluster(AclOperation.ALTER)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        List<AclFilter> filters = request.filters().stream().map(f -> AclMessages.filter(f.resourceTypeFilter(),
                f.resourceNameFilter(), f.patternTypeFilter(), f.principalFilter(), f.hostFilter(), f.operation(),
                f.permissionType())).toList();
        return controller.submit(new DeleteAcls(filters)).thenApply(reply -> {
            DeleteAclsResponseData response = new DeleteAclsResponseData();
            for (DeleteAcls.FilterResult result : reply.results()) {
                DeleteAclsFilterResult out = new DeleteAclsFilterResult().setErrorCode(result.error().error().code())
                        .setErrorMessage(result.error().message());
                for (AclEntry acl : result.deleted()) {
                    out.matchingAcls().add(new DeleteAclsMatchingAcl().setResourceType(acl.resourceType().code())
                            .setResourceName(acl.resourceName()).setPatternType(acl.patternType().code())
                            .setPrincipal(acl.principal()).setHost(acl.host()).setOperation(acl.operation().code())
                            .setPermissionType(acl.permission().code()));
                }
                response.filterResults().add(out);
            }
            return response;
        });
    }
}

package io.millrace.server.handlers;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.CreateAcls;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateAcls: hands the ACLs to the controller, which validates each and writes the new ones to
 * the cluster metadata (one result per creation, in request order). Needs ALTER on the cluster;
 * without an authorizer every creation is SECURITY_DISABLED, as in Kafka. Stateless.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {
    private final ControllerChannel controller;

    public CreateAclsHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<CreateAclsResponseData> handle(RequestContext context, CreateAclsRequestData request) {
        if (!context.authorization().enabled()) {
            return CompletableFuture.failedFuture(Errors.SECURITY_DISABLED.exception(AclMessages.NO_AUTHORIZER));
        }
        if (!context.authorization().allowsCluster(AclOperation.ALTER)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        List<AclEntry> creations = request.creations().stream().map(c -> AclMessages.entry(c.resourceType(),
                c.resourceName(), c.resourcePatternType(), c.principal(), c.host(), c.operation(), c.permissionType()))
                .toList();
        return controller.submit(new CreateAcls(creations)).thenApply(reply -> {
            CreateAclsResponseData response = new CreateAclsResponseData();
            reply.results().forEach(error -> response.results().add(new AclCreationResult()
                    .setErrorCode(error.error().code()).setErrorMessage(error.message())));
            return response;
        });
    }
}

package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigAlterations;
import io.millrace.server.config.ConfigAlterer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topics and dynamic broker configs. */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {
    private final ConfigAlterer alterer;

    public IncrementalAlterConfigsHandler(ConfigAlterer alterer) {
        this.alterer = alterer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(RequestContext context,
                                                                         IncrementalAlterConfigsRequestData request) {
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(result);
            Errors denied = ConfigAuthorization.check(context.authorization(), AclOperation.ALTER_CONFIGS,
                    resource.resourceType(), resource.resourceName());
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage(denied.message());
                continue;
            }
            List<ConfigAlterations.Op> ops = resource.configs().stream()
                    .map(c -> new ConfigAlterations.Op(c.name(), c.configOperation(), c.value())).toList();
            pending.add(alterer.alter(resource.resourceType(), resource.resourceName(), request.validateOnly(),
                    kind -> ConfigAlterations.incremental(kind, resource.resourceName(), ops, alterer.describer()),
                    (error, message) -> result.setErrorCode(error.code()).setErrorMessage(message)));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}

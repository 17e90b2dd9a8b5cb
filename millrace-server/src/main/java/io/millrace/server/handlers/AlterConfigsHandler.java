package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigAlterations;
import io.millrace.server.config.ConfigAlterer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AlterConfigs (the legacy form): replaces all dynamic configs of each resource. */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {
    private final ConfigAlterer alterer;

    public AlterConfigsHandler(ConfigAlterer alterer) {
        this.alterer = alterer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AlterConfigsResponseData> handle(RequestContext context, AlterConfigsRequestData request) {
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(result);
            Errors denied = ConfigAuthorization.check(context.authorization(), AclOperation.ALTER_CONFIGS,
                    resource.resourceType(), resource.resourceName());
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage(denied.message());
                continue;
            }
            Map<String, String> configs = new LinkedHashMap<>();
            resource.configs().forEach(c -> configs.put(c.name(), c.value()));
            pending.add(alterer.alter(resource.resourceType(), resource.resourceName(), request.validateOnly(),
                    kind -> ConfigAlterations.replaceAll(kind, resource.resourceName(), configs, alterer.describer()),
                    (error, message) -> result.setErrorCode(error.code()).setErrorMessage(message)));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}

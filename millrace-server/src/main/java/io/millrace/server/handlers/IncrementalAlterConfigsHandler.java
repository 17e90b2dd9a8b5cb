package io.millrace.server.handlers;

import io.millrace.metadata.controller.MetadataController;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigAlterations;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.server.config.ConfigResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topics and dynamic broker configs. */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequestData> {
    private final MetadataController controller;
    private final ConfigDescriber describer;
    private final int nodeId;

    public IncrementalAlterConfigsHandler(MetadataController controller, ConfigDescriber describer, int nodeId) {
        this.controller = controller;
        this.describer = describer;
        this.nodeId = nodeId;
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
            ConfigResources.Target target = ConfigResources.resolve(resource.resourceType(),
                    resource.resourceName(), nodeId, describer);
            if (target.error() != Errors.NONE) {
                result.setErrorCode(target.error().code()).setErrorMessage(target.message());
                continue;
            }
            List<ConfigAlterations.Op> ops = resource.configs().stream()
                    .map(c -> new ConfigAlterations.Op(c.name(), c.configOperation(), c.value())).toList();
            ConfigAlterations.Result changes = ConfigAlterations.incremental(target.kind(), resource.resourceName(),
                    ops, describer);
            pending.add(AlterConfigsHandler.apply(controller, changes, request.validateOnly(),
                    (error, message) -> result.setErrorCode(error.code()).setErrorMessage(message)));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}

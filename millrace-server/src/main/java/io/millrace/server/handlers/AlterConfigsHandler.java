package io.millrace.server.handlers;

import io.millrace.metadata.controller.MetadataController;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigAlterations;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.server.config.ConfigResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AlterConfigs (the legacy form): replaces all dynamic configs of each resource. */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData> {
    private final MetadataController controller;
    private final ConfigDescriber describer;
    private final int nodeId;

    public AlterConfigsHandler(MetadataController controller, ConfigDescriber describer, int nodeId) {
        this.controller = controller;
        this.describer = describer;
        this.nodeId = nodeId;
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
            ConfigResources.Target target = ConfigResources.resolve(resource.resourceType(),
                    resource.resourceName(), nodeId, describer);
            if (target.error() != Errors.NONE) {
                result.setErrorCode(target.error().code()).setErrorMessage(target.message());
                continue;
            }
            Map<String, String> configs = new LinkedHashMap<>();
            resource.configs().forEach(c -> configs.put(c.name(), c.value()));
            ConfigAlterations.Result changes = ConfigAlterations.replaceAll(target.kind(), resource.resourceName(),
                    configs, describer);
            pending.add(apply(controller, changes, request.validateOnly(),
                    (error, message) -> result.setErrorCode(error.code()).setErrorMessage(message)));
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }

    /** Writes validated changes through the controller and reports the outcome. */
    static CompletableFuture<Void> apply(MetadataController controller, ConfigAlterations.Result changes,
                                         boolean validateOnly, BiConsumer<Errors, String> report) {
        if (changes.error() != Errors.NONE) {
            report.accept(changes.error(), changes.message());
            return CompletableFuture.completedFuture(null);
        }
        return controller.alterConfigs(changes.changes(), validateOnly)
                .thenAccept(error -> report.accept(error.error(), error.message()));
    }
}

package io.millrace.server.config;

import io.millrace.metadata.controller.ControllerChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one path of AlterConfigs and IncrementalAlterConfigs for a resource: resolve it, compute
 * the validated changes, write them through the controller, report the outcome. Thread-safe.
 */
public final class ConfigAlterer {
    private final ControllerChannel controller;
    private final ConfigDescriber describer;
    private final int nodeId;

    public ConfigAlterer(ControllerChannel controller, ConfigDescriber describer, int nodeId) {
        this.controller = controller;
        this.describer = describer;
        this.nodeId = nodeId;
    }

    public ConfigDescriber describer() {
        return describer;
    }

    /**
     * Alters one resource. {@code changes} computes the changes for the resolved resource kind;
     * {@code report} receives the error (NONE on success) and its message.
     */
    public CompletableFuture<Void> alter(byte resourceType, String resourceName, boolean validateOnly,
                                         Function<ConfigResources.Kind, ConfigAlterations.Result> changes,
                                         BiConsumer<Errors, String> report) {
        ConfigResources.Target target = ConfigResources.resolve(resourceType, resourceName, nodeId, describer);
        if (target.error() != Errors.NONE) {
            report.accept(target.error(), target.message());
            return CompletableFuture.completedFuture(null);
        }
        ConfigAlterations.Result result = changes.apply(target.kind());
        if (result.error() != Errors.NONE) {
            report.accept(result.error(), result.message());
            return CompletableFuture.completedFuture(null);
        }
        return controller.alterConfigs(result.changes(), validateOnly)
                .thenAccept(error -> report.accept(error.error(), error.message()));
    }
}

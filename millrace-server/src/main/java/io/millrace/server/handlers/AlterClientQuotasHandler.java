package io.millrace.server.handlers;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AlterClientQuotas;
import io.millrace.metadata.controller.command.AlterClientQuotas.Alteration;
import io.millrace.metadata.controller.command.AlterClientQuotas.EntityPart;
import io.millrace.metadata.controller.command.AlterClientQuotas.Op;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData.EntryData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterClientQuotas: hands the entities' changes to the controller, which validates them as Kafka
 * (INVALID_REQUEST with a message per entity) and writes one ClientQuotaRecord per value that
 * changes (ClientQuotaCommands); validate_only writes nothing. One result per entity. Stateless.
 */
public final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequestData> {
    private final ControllerChannel controller;

    public AlterClientQuotasHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<AlterClientQuotasResponseData> handle(RequestContext context,
                                                                 AlterClientQuotasRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.ALTER_CONFIGS)) {
            // as Kafka: every entry refused, nothing written
            AlterClientQuotasResponseData denied = new AlterClientQuotasResponseData();
            for (AlterClientQuotasRequestData.EntryData asked : request.entries()) {
                EntryData entry = new EntryData().setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                asked.entity().forEach(p -> entry.entity().add(new EntityData().setEntityType(p.entityType())
                        .setEntityName(p.entityName())));
                denied.entries().add(entry);
            }
            return CompletableFuture.completedFuture(denied);
        }
        List<Alteration> alterations = request.entries().stream().map(e -> new Alteration(
                e.entity().stream().map(p -> new EntityPart(p.entityType(), p.entityName())).toList(),
                e.ops().stream().map(o -> new Op(o.key(), o.value(), o.remove())).toList())).toList();
        return controller.submit(new AlterClientQuotas(alterations, request.validateOnly())).thenApply(reply -> {
            AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
            for (int i = 0; i < request.entries().size(); i++) {
                AlterClientQuotasRequestData.EntryData asked = request.entries().get(i);
                ApiError error = reply.results().get(i);
                EntryData entry = new EntryData().setErrorCode(error.error().code()).setErrorMessage(error.message());
                asked.entity().forEach(p -> entry.entity().add(new EntityData().setEntityType(p.entityType())
                        .setEntityName(p.entityName())));
                response.entries().add(entry);
            }
            return response;
        });
    }
}

package io.millrace.server.handlers;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.server.quota.ClientQuotas;
import io.millrace.server.quota.MutationQuota;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreatePartitions: grows topics, with optional explicit assignments, validate_only. The partitions
 * added count against the client's {@code controller_mutation_rate} (KIP-599: from v3 a topic is
 * refused with THROTTLING_QUOTA_EXCEEDED once it is exhausted).
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {
    private static final short STRICT_QUOTA_VERSION = 3;
    private final ControllerChannel controller;
    private final MetadataView metadata;
    private final ClientQuotas quotas;

    public CreatePartitionsHandler(ControllerChannel controller, MetadataView metadata, ClientQuotas quotas) {
        this.controller = controller;
        this.metadata = metadata;
        this.quotas = quotas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestContext context,
                                                                  CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        MutationQuota quota = quotas.controllerMutations(context, context.apiVersion() >= STRICT_QUOTA_VERSION);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            if (!context.authorization().allowsTopic(AclOperation.ALTER, topic.name())) {
                result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                continue;
            }
            if (quota.exhausted()) {
                result.setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                        .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message());
                continue;
            }
            int before = metadata.image().topic(topic.name()).map(TopicImage::partitionCount).orElse(0);
            List<List<Integer>> assignments = topic.assignments() == null ? List.of()
                    : topic.assignments().stream().map(a -> List.copyOf(a.brokerIds())).toList();
            all.add(controller.createPartitions(topic.name(), topic.count(), assignments, request.validateOnly())
                    .thenAccept(error -> {
                        result.setErrorCode(error.error().code()).setErrorMessage(error.message());
                        if (error.isSuccess() && !request.validateOnly()) {
                            quota.record(topic.count() - before);
                        }
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> response.setThrottleTimeMs(quota.throttleMs()));
    }
}

package io.millrace.server.handlers;

import io.millrace.metadata.controller.ControllerChannel;
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

/** CreatePartitions: grows topics, with optional explicit assignments, validate_only. */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData> {
    private final ControllerChannel controller;

    public CreatePartitionsHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestContext context,
                                                                  CreatePartitionsRequestData request) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            if (!context.authorization().allowsTopic(AclOperation.ALTER, topic.name())) {
                result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                continue;
            }
            List<List<Integer>> assignments = topic.assignments() == null ? List.of()
                    : topic.assignments().stream().map(a -> List.copyOf(a.brokerIds())).toList();
            all.add(controller.createPartitions(topic.name(), topic.count(), assignments, request.validateOnly())
                    .thenAccept(error -> result.setErrorCode(error.error().code()).setErrorMessage(error.message())));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}

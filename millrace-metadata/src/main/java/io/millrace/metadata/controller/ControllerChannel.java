package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.AlterConfigs;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.controller.command.CreatePartitions;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.metadata.controller.command.DeleteTopics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;

/**
 * How a node reaches the active controller: in-process ({@link MetadataController}) for a single
 * node, or over the quorum's transport to whichever node leads it. Futures fail with
 * {@link org.apache.kafka.common.errors.NotControllerException} when no controller is reachable.
 */
public interface ControllerChannel {

    <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command);

    /**
     * As {@link #submit(ControllerCommand)}, for a command another node forwarded under
     * {@code requestId} (the same on its retries): the active controller writes the reply with the
     * command's records ({@link io.millrace.metadata.log.CommandOutcome}), so a retry that reaches
     * the next controller is answered, not run again.
     */
    default <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command, String requestId) {
        return submit(command);
    }

    default CompletableFuture<List<CreateTopicResult>> createTopics(List<TopicSpec> specs, boolean validateOnly) {
        return submit(new CreateTopics(specs, validateOnly)).thenApply(CreateTopics.Reply::results);
    }

    default CompletableFuture<List<ApiError>> deleteTopics(List<Uuid> topicIds) {
        return submit(new DeleteTopics(topicIds)).thenApply(io.millrace.metadata.controller.command.Errors::errors);
    }

    default CompletableFuture<ApiError> createPartitions(String topic, int totalCount, List<List<Integer>> assignments,
                                                        boolean validateOnly) {
        return submit(new CreatePartitions(topic, totalCount, assignments == null ? List.of() : assignments,
                validateOnly));
    }

    default CompletableFuture<ApiError> alterConfigs(List<ConfigChange> changes, boolean validateOnly) {
        return submit(new AlterConfigs(changes, validateOnly));
    }

    /** Completes with the first id of a new block of {@code size} producer ids. */
    default CompletableFuture<Long> allocateProducerIds(int brokerId, int size) {
        return submit(new AllocateProducerIds(brokerId, size)).thenApply(AllocateProducerIds.Reply::firstProducerId);
    }
}

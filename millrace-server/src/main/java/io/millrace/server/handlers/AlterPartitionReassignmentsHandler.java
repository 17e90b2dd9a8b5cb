package io.millrace.server.handlers;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.AlterReassignments.Reassignment;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments (KIP-455): starts a reassignment of each listed partition to its
 * target replicas, or cancels the one under way when the replicas are null. The controller checks
 * and applies them; its error for each partition is answered in place. From v1 (KIP-860) a request
 * with allowReplicationFactorChange=false has a target whose size differs from the partition's
 * replication factor refused here with INVALID_REPLICATION_FACTOR. When the controller cannot be
 * reached or does not answer within the timeout, every partition and the top level carry that error.
 * Thread-safe; holds no mutable state.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequestData> {
    private static final short FIRST_VERSION_WITH_RF_FLAG = 1;

    private final ControllerChannel controller;
    private final MetadataView metadata;

    public AlterPartitionReassignmentsHandler(ControllerChannel controller, MetadataView metadata) {
        this.controller = controller;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    /** One partition of the request and, once known, its outcome. */
    private record Item(ReassignablePartitionResponse response, Reassignment reassignment) {
    }

    @Override
    public CompletableFuture<AlterPartitionReassignmentsResponseData> handle(
            RequestContext context, AlterPartitionReassignmentsRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.ALTER)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        boolean rfChangeAllowed = context.apiVersion() < FIRST_VERSION_WITH_RF_FLAG
                || request.allowReplicationFactorChange();
        MetadataImage image = metadata.image();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (context.apiVersion() >= FIRST_VERSION_WITH_RF_FLAG) {
            response.setAllowReplicationFactorChange(request.allowReplicationFactorChange());
        }
        List<Item> toSubmit = new ArrayList<>();
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse topicResponse = new ReassignableTopicResponse().setName(topic.name());
            response.responses().add(topicResponse);
            for (ReassignablePartition p : topic.partitions()) {
                ReassignablePartitionResponse partitionResponse = new ReassignablePartitionResponse()
                        .setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                ApiError refused = rfChangeAllowed ? ApiError.NONE : checkReplicationFactor(image, topic.name(), p);
                if (!refused.isSuccess()) {
                    set(partitionResponse, refused);
                    continue;
                }
                List<Integer> target = p.replicas() == null ? null : List.copyOf(p.replicas());
                toSubmit.add(new Item(partitionResponse, new Reassignment(topic.name(), p.partitionIndex(), target)));
            }
        }
        if (toSubmit.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        List<Reassignment> reassignments = toSubmit.stream().map(Item::reassignment).toList();
        return controller.submit(new AlterReassignments(reassignments))
                .orTimeout(Math.max(1, request.timeoutMs()), TimeUnit.MILLISECONDS)
                .handle((reply, failure) -> {
                    if (failure != null) {
                        ApiError error = ElectLeadersHandler.toError(failure);
                        toSubmit.forEach(item -> set(item.response(), error));
                        return response.setErrorCode(error.error().code()).setErrorMessage(error.message());
                    }
                    List<ApiError> errors = reply.errors();
                    for (int i = 0; i < toSubmit.size(); i++) {
                        set(toSubmit.get(i).response(), i < errors.size() ? errors.get(i)
                                : ApiError.of(Errors.UNKNOWN_SERVER_ERROR, "The controller gave no result"));
                    }
                    return response;
                });
    }

    private static ApiError checkReplicationFactor(MetadataImage image, String topic, ReassignablePartition p) {
        if (p.replicas() == null) {
            return ApiError.NONE;
        }
        Optional<PartitionRecord> current = image.topic(topic).map(TopicImage::partitions)
                .map(partitions -> partitions.get(p.partitionIndex()));
        if (current.isEmpty()) {
            return ApiError.NONE; // the controller answers UNKNOWN_TOPIC_OR_PARTITION
        }
        int factor = current.get().replicas().size() - current.get().addingReplicas().size();
        if (p.replicas().size() == factor) {
            return ApiError.NONE;
        }
        return ApiError.of(Errors.INVALID_REPLICATION_FACTOR, "The replication factor is changed from " + factor
                + " to " + p.replicas().size() + " but allowReplicationFactorChange is false");
    }

    private static void set(ReassignablePartitionResponse response, ApiError error) {
        response.setErrorCode(error.error().code()).setErrorMessage(error.isSuccess() ? null : error.message());
    }
}

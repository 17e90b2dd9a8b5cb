package io.millrace.server.handlers;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.quota.ClientQuotas;
import io.millrace.server.quota.MutationQuota;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteTopics: by name (all versions) or by topic id (v6+). The partitions deleted count against
 * the client's {@code controller_mutation_rate} (KIP-599: from v5 a topic is refused with
 * THROTTLING_QUOTA_EXCEEDED once it is exhausted).
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData> {
    private static final short STRICT_QUOTA_VERSION = 5;
    private final ControllerChannel controller;
    private final MetadataView metadata;
    private final BooleanSupplier deleteEnabled;
    private final ClientQuotas quotas;

    public DeleteTopicsHandler(ControllerChannel controller, MetadataView metadata, BooleanSupplier deleteEnabled,
                               ClientQuotas quotas) {
        this.controller = controller;
        this.metadata = metadata;
        this.deleteEnabled = deleteEnabled;
        this.quotas = quotas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestContext context, DeleteTopicsRequestData request) {
        List<DeleteTopicsRequestData.DeleteTopicState> wanted = new ArrayList<>(request.topics());
        for (String name : request.topicNames()) {
            wanted.add(new DeleteTopicsRequestData.DeleteTopicState().setName(name).setTopicId(Uuid.ZERO_UUID));
        }
        MetadataImage image = metadata.image();
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        MutationQuota quota = quotas.controllerMutations(context, context.apiVersion() >= STRICT_QUOTA_VERSION);
        List<Uuid> ids = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        List<DeletableTopicResult> pending = new ArrayList<>();
        for (DeleteTopicsRequestData.DeleteTopicState t : wanted) {
            boolean byId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
            DeletableTopicResult result = new DeletableTopicResult().setName(t.name())
                    .setTopicId(byId ? t.topicId() : Uuid.ZERO_UUID);
            response.responses().add(result);
            if (byId && t.name() != null) {
                fail(result, Errors.INVALID_REQUEST, "A topic is named by both name and id");
                continue;
            }
            Optional<TopicImage> topic = byId ? image.topic(t.topicId()) : image.topic(t.name());
            if (byId && topic.isEmpty()) {
                fail(result, Errors.UNKNOWN_TOPIC_ID, null);
                continue;
            }
            String name = topic.map(TopicImage::name).orElse(t.name());
            if (!context.authorization().allowsTopic(AclOperation.DELETE, name)) {
                if (byId && !context.authorization().allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                    result.setName(null); // the id does not reveal a name the principal may not see
                } else {
                    result.setName(name);
                }
                fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, null);
                continue;
            }
            if (topic.isEmpty()) {
                fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                continue;
            }
            result.setName(topic.get().name()).setTopicId(topic.get().topicId());
            if (!deleteEnabled.getAsBoolean()) {
                fail(result, Errors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled (delete.topic.enable=false)");
                continue;
            }
            if (quota.exhausted()) {
                fail(result, Errors.THROTTLING_QUOTA_EXCEEDED, Errors.THROTTLING_QUOTA_EXCEEDED.message());
                continue;
            }
            ids.add(topic.get().topicId());
            partitions.add(topic.get().partitions().size());
            pending.add(result);
        }
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(response.setThrottleTimeMs(quota.throttleMs()));
        }
        return controller.deleteTopics(ids).thenApply(errors -> {
            for (int i = 0; i < errors.size(); i++) {
                ApiError error = errors.get(i);
                pending.get(i).setErrorCode(error.error().code()).setErrorMessage(error.message());
                if (error.isSuccess()) {
                    quota.record(partitions.get(i));
                }
            }
            return response.setThrottleTimeMs(quota.throttleMs());
        });
    }

    private static void fail(DeletableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}

package io.millrace.server.handlers;

import io.millrace.common.config.Endpoint;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.controller.TopicNames;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.BrokerIdentity;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: the brokers and the requested topics (all when the list is null), by name or id.
 * Creates missing topics when the client allows it and auto.create.topics.enable is on.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final BrokerIdentity identity;
    private final MetadataController controller;
    private final BooleanSupplier autoCreateEnabled;

    public MetadataHandler(BrokerIdentity identity, MetadataController controller, BooleanSupplier autoCreateEnabled) {
        this.identity = identity;
        this.controller = controller;
        this.autoCreateEnabled = autoCreateEnabled;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        MetadataImage image = controller.image();
        List<String> toCreate = new ArrayList<>();
        if (request.topics() != null && request.allowAutoTopicCreation() && autoCreateEnabled.getAsBoolean()) {
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                boolean byName = t.name() != null && (t.topicId() == null || Uuid.ZERO_UUID.equals(t.topicId()));
                if (byName && image.topic(t.name()).isEmpty() && TopicNames.whyIllegal(t.name()) == null) {
                    toCreate.add(t.name());
                }
            }
        }
        if (toCreate.isEmpty()) {
            return CompletableFuture.completedFuture(build(context, request, controller.image()));
        }
        List<TopicSpec> specs = toCreate.stream()
                .map(name -> new TopicSpec(name, -1, (short) -1, Map.of(), Map.of())).toList();
        return controller.createTopics(specs, false)
                .handle((List<CreateTopicResult> results, Throwable error) -> build(context, request, controller.image()));
    }

    private MetadataResponseData build(RequestContext context, MetadataRequestData request, MetadataImage image) {
        Endpoint self = identity.endpointFor(context.listenerName());
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(identity.clusterId())
                .setControllerId(identity.nodeId())
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        response.brokers().add(new MetadataResponseBroker().setNodeId(identity.nodeId())
                .setHost(self.host()).setPort(self.port()).setRack(identity.rack()));
        boolean allTopics = request.topics() == null || (context.apiVersion() == 0 && request.topics().isEmpty());
        if (allTopics) {
            for (TopicImage topic : image.topics()) {
                response.topics().add(describe(topic));
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                response.topics().add(describeRequested(image, t));
            }
        }
        return response;
    }

    private MetadataResponseTopic describeRequested(MetadataImage image, MetadataRequestData.MetadataRequestTopic t) {
        boolean byId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
        Optional<TopicImage> topic = byId ? image.topic(t.topicId()) : image.topic(t.name());
        if (topic.isPresent()) {
            return describe(topic.get());
        }
        MetadataResponseTopic missing = new MetadataResponseTopic().setName(t.name()).setTopicId(t.topicId() == null
                ? Uuid.ZERO_UUID : t.topicId()).setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        if (byId) {
            return missing.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setName(null);
        }
        Errors error = TopicNames.whyIllegal(t.name()) != null ? Errors.INVALID_TOPIC_EXCEPTION
                : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return missing.setErrorCode(error.code());
    }

    private static MetadataResponseTopic describe(TopicImage topic) {
        MetadataResponseTopic out = new MetadataResponseTopic().setName(topic.name()).setTopicId(topic.topicId())
                .setIsInternal(TopicNames.isInternal(topic.name()))
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        for (PartitionRecord p : topic.partitions().values()) {
            out.partitions().add(new MetadataResponsePartition().setPartitionIndex(p.partition())
                    .setLeaderId(p.leader()).setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(p.replicas())).setIsrNodes(new ArrayList<>(p.isr()))
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return out;
    }
}

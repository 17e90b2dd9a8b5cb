package io.millrace.server.handlers;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicNames;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.lifecycle.LiveBrokers.AdvertisedBroker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata: the brokers and the requested topics (all when the list is null), by name or id.
 * Creates missing topics when the client allows it and auto.create.topics.enable is on.
 *
 * <ul>
 *   <li>Brokers: the unfenced registered brokers at their endpoint for the request's listener,
 *       and always this node ({@link LiveBrokers}).</li>
 *   <li>A partition without a leader, or whose leader the image does not know, answers
 *       LEADER_NOT_AVAILABLE with leader -1, as Kafka does; replicas on fenced or unknown brokers
 *       are offline (v5+).</li>
 *   <li>Controller id: the quorum leader when listed, else this node.</li>
 *   <li>Authorization: all topics lists only those the principal may DESCRIBE; a requested one it
 *       may not describe is TOPIC_AUTHORIZATION_FAILED whether it exists or not; auto-creation
 *       needs CREATE on the cluster or the topic; the authorized operations of the cluster (v8-10)
 *       and of each topic, when asked for, are those the principal may do.</li>
 * </ul>
 * Thread-safe; holds no mutable state.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData> {
    private static final short FIRST_VERSION_WITH_OFFLINE_REPLICAS = 5;

    private final LiveBrokers brokers;
    private final ControllerChannel controller;
    private final MetadataView metadata;
    private final BooleanSupplier autoCreateEnabled;

    public MetadataHandler(LiveBrokers brokers, ControllerChannel controller, MetadataView metadata,
                           BooleanSupplier autoCreateEnabled) {
        this.brokers = brokers;
        this.controller = controller;
        this.metadata = metadata;
        this.autoCreateEnabled = autoCreateEnabled;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
        MetadataImage image = metadata.image();
        Authorization authorization = context.authorization();
        Set<String> unauthorized = new HashSet<>();
        List<String> toCreate = new ArrayList<>();
        boolean autoCreate = request.allowAutoTopicCreation() && autoCreateEnabled.getAsBoolean();
        if (request.topics() != null) {
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                boolean byName = t.name() != null && (t.topicId() == null || Uuid.ZERO_UUID.equals(t.topicId()));
                if (!byName) {
                    continue;
                }
                if (!authorization.allowsTopic(AclOperation.DESCRIBE, t.name())) {
                    unauthorized.add(t.name());
                } else if (autoCreate && image.topic(t.name()).isEmpty() && TopicNames.whyIllegal(t.name()) == null
                        && !toCreate.contains(t.name())) {
                    if (mayCreate(authorization, t.name())) {
                        toCreate.add(t.name());
                    } else {
                        unauthorized.add(t.name());
                    }
                }
            }
        }
        if (toCreate.isEmpty()) {
            return CompletableFuture.completedFuture(build(context, request, image, unauthorized));
        }
        List<TopicSpec> specs = toCreate.stream()
                .map(name -> new TopicSpec(name, -1, (short) -1, Map.of(), Map.of())).toList();
        return controller.createTopics(specs, false).handle((List<CreateTopicResult> results, Throwable error) ->
                build(context, request, metadata.image(), unauthorized));
    }

    /** Auto-creation needs CREATE on the cluster or, failing that, on the topic (as in Kafka). */
    private static boolean mayCreate(Authorization authorization, String topic) {
        return authorization.allowsQuietly(AclOperation.CREATE, ResourceType.CLUSTER, Authorization.CLUSTER)
                || authorization.allowsTopic(AclOperation.CREATE, topic);
    }

    /**
     * @param unauthorized topics requested by name that the principal may not describe (or not
     *                     create, when they would be auto-created): answered TOPIC_AUTHORIZATION_FAILED
     *                     whether they exist or not
     */
    private MetadataResponseData build(RequestContext context, MetadataRequestData request, MetadataImage image,
                                       Set<String> unauthorized) {
        List<AdvertisedBroker> listed = brokers.list(image, context.listenerName(), false);
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(brokers.identity().clusterId())
                .setControllerId(brokers.controllerId(listed))
                .setClusterAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
        for (AdvertisedBroker b : listed) {
            response.brokers().add(new MetadataResponseBroker().setNodeId(b.brokerId())
                    .setHost(b.host()).setPort(b.port()).setRack(b.rack()));
        }
        boolean withOffline = context.apiVersion() >= FIRST_VERSION_WITH_OFFLINE_REPLICAS;
        boolean allTopics = request.topics() == null || (context.apiVersion() == 0 && request.topics().isEmpty());
        Authorization authorization = context.authorization();
        if (allTopics) {
            for (TopicImage topic : image.topics()) {
                if (authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name())) {
                    response.topics().add(describe(image, topic, withOffline));
                }
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                response.topics().add(t.name() != null && unauthorized.contains(t.name())
                        ? unauthorizedTopic(t.name(), Uuid.ZERO_UUID)
                        : describeRequested(authorization, image, t, withOffline));
            }
        }
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(AuthorizedOperations.cluster(authorization));
        }
        if (request.includeTopicAuthorizedOperations()) {
            for (MetadataResponseTopic topic : response.topics()) {
                if (topic.name() != null && topic.errorCode() != Errors.TOPIC_AUTHORIZATION_FAILED.code()) {
                    topic.setTopicAuthorizedOperations(AuthorizedOperations.topic(authorization, topic.name()));
                }
            }
        }
        return response;
    }

    private static MetadataResponseTopic unauthorizedTopic(String name, Uuid id) {
        return new MetadataResponseTopic().setName(name).setTopicId(id)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
    }

    private MetadataResponseTopic describeRequested(Authorization authorization, MetadataImage image,
                                                    MetadataRequestData.MetadataRequestTopic t, boolean withOffline) {
        boolean byId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
        Optional<TopicImage> topic = byId ? image.topic(t.topicId()) : image.topic(t.name());
        if (byId && topic.isPresent() && !authorization.allowsTopic(AclOperation.DESCRIBE, topic.get().name())) {
            // topic ids are not secret: Kafka answers the id with the error, without the name
            return unauthorizedTopic(null, t.topicId());
        }
        if (topic.isPresent()) {
            return describe(image, topic.get(), withOffline);
        }
        MetadataResponseTopic missing = new MetadataResponseTopic().setName(t.name()).setTopicId(t.topicId() == null
                ? Uuid.ZERO_UUID : t.topicId()).setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
        if (byId) {
            return missing.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setName(null);
        }
        Errors error = TopicNames.whyIllegal(t.name()) != null ? Errors.INVALID_TOPIC_EXCEPTION
                : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return missing.setErrorCode(error.code());
    }

    private MetadataResponseTopic describe(MetadataImage image, TopicImage topic, boolean withOffline) {
        MetadataResponseTopic out = new MetadataResponseTopic().setName(topic.name()).setTopicId(topic.topicId())
                .setIsInternal(TopicNames.isInternal(topic.name()))
                .setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
        for (PartitionRecord p : topic.partitions().values()) {
            boolean leaderKnown = p.leader() != PartitionRecord.NO_LEADER
                    && (p.leader() == brokers.identity().nodeId() || image.broker(p.leader()).isPresent());
            MetadataResponsePartition partition = new MetadataResponsePartition().setPartitionIndex(p.partition())
                    .setErrorCode(leaderKnown ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(leaderKnown ? p.leader() : PartitionRecord.NO_LEADER)
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(p.replicas())).setIsrNodes(new ArrayList<>(p.isr()));
            if (withOffline) {
                List<Integer> offline = new ArrayList<>();
                for (int replica : p.replicas()) {
                    if (!brokers.isOnline(image, replica)) {
                        offline.add(replica);
                    }
                }
                partition.setOfflineReplicas(offline);
            }
            out.partitions().add(partition);
        }
        return out;
    }
}

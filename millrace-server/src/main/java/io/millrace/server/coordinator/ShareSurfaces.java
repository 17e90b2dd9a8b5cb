package io.millrace.server.coordinator;

import io.millrace.common.Time;
import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupConfigOverrides;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.handlers.AlterShareGroupOffsetsHandler;
import io.millrace.server.handlers.DeleteShareGroupOffsetsHandler;
import io.millrace.server.handlers.DescribeShareGroupOffsetsHandler;
import io.millrace.server.handlers.ShareGroupDescribeHandler;
import io.millrace.server.handlers.ShareGroupHeartbeatHandler;
import io.millrace.server.share.DeadLetterProducer;
import io.millrace.server.share.ShareAcknowledgeHandler;
import io.millrace.server.share.ShareFetchHandler;
import io.millrace.server.share.SharePartitions;
import io.millrace.server.share.ShareSessions;
import io.millrace.server.share.ShareStateDeletingGroupsHandler;
import io.millrace.server.share.ShareStateStore;
import io.millrace.server.replication.ClientSecurity;
import io.millrace.server.sharestate.ClusterActionOnly;
import io.millrace.server.sharestate.DeleteShareGroupStateHandler;
import io.millrace.server.sharestate.InitializeShareGroupStateHandler;
import io.millrace.server.sharestate.ReadShareGroupStateHandler;
import io.millrace.server.sharestate.ReadShareGroupStateSummaryHandler;
import io.millrace.server.sharestate.ShareStateSender;
import io.millrace.server.sharestate.WriteShareGroupStateHandler;
import io.millrace.server.partition.PartitionAccess;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What clients see of share groups (KIP-932): the share group APIs (registered, and so advertised)
 * and {@code share.version}, finalized at 2 as a new Kafka 4.4 cluster finalizes it: level 2 adds
 * KIP-1191's dead-letter topics (the {@code errors.deadletterqueue.*} group configs, and the
 * share-partition leaders writing to them through a {@link DeadLetterProducer}). {@link #SERVED}
 * and {@link #DEAD_LETTERS_SERVED} stay as the places to withdraw them (without dead letters,
 * level 1 and the group configs are unknown names). Stateless.
 */
public final class ShareSurfaces {
    /** Whether share groups are served: their APIs registered and {@code share.version} finalized (at least 1). */
    private static final boolean SERVED = true;
    /** Whether KIP-1191's dead-letter topics are served (share.version=2). */
    private static final boolean DEAD_LETTERS_SERVED = true;
    private static final String BROKER_KEY_PREFIX = "group.share.";
    private static final Logger LOG = LoggerFactory.getLogger(ShareSurfaces.class);

    private ShareSurfaces() {
    }

    /** Whether the share group APIs are registered. */
    public static boolean served() {
        return SERVED;
    }

    /** Whether share groups may have dead-letter topics (KIP-1191). */
    public static boolean deadLettersServed() {
        return SERVED && DEAD_LETTERS_SERVED;
    }

    /** {@code share.version=2} (1 without dead-letter topics) while served; none otherwise. */
    public static Map<String, Short> features() {
        return SERVED ? Map.of("share.version", (short) (DEAD_LETTERS_SERVED ? 2 : 1)) : Map.of();
    }

    /**
     * The share coordinator (KIP-932's durable share-partition state, over
     * {@code __share_group_state}, which is created on first need from the
     * {@code share.coordinator.state.topic.*} keys) and the leaders' way to it.
     */
    public record Coordinator(ShareCoordinatorService service, CoordinatorTopic topic, ShareStateStore store,
                              ShareStateSender sender, DeadLetterProducer deadLetters) implements AutoCloseable {
        @Override
        public void close() {
            if (deadLetters != null) {
                deadLetters.close();
            }
            sender.close();
            service.close();
        }
    }

    /** The share coordinator, following this node's leadership of {@code __share_group_state}; null while not served. */
    public static Coordinator startCoordinator(BrokerConfig config, boolean singleNode, int nodeId,
                                               ControllerChannel channel, MetadataPublisher publisher,
                                               PartitionAccess access, String interBrokerListener,
                                               ClientSecurity interBrokerSecurity) {
        if (!served()) {
            return null;
        }
        CoordinatorTopicSpec spec = CoordinatorTopicSpec.shareGroupState(config, singleNode);
        ShareCoordinatorService service = new ShareCoordinatorService(spec.partitions(), 1,
                new PartitionCoordinatorLog(spec.name(), access, Time.SYSTEM, config.getInt("share.coordinator.load.buffer.size")),
                Time.SYSTEM);
        CoordinatorTopic topic = new CoordinatorTopic(spec, nodeId, channel, publisher, service);
        try {
            publisher.register(topic).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            service.close();
            throw new IllegalStateException("Registering the share coordinator failed", e);
        }
        ShareStateSender sender = new ShareStateSender(publisher::image, interBrokerListener, interBrokerSecurity);
        DeadLetterProducer deadLetters = deadLettersServed() ? new DeadLetterProducer(nodeId, publisher::image, access,
                channel, interBrokerListener, interBrokerSecurity,
                config.getBoolean("errors.deadletterqueue.auto.create.topics.enable"),
                config.getString("errors.deadletterqueue.topic.name.prefix")) : null;
        return new Coordinator(service, topic, new ShareStateStore(service, topic, nodeId, sender), sender,
                deadLetters);
    }

    /**
     * The DeleteGroups handler: {@code deletion} itself while share groups are not served, else
     * one that also deletes a deleted share group's share state.
     */
    public static ApiHandler<DeleteGroupsRequestData> deleteGroups(ApiHandler<DeleteGroupsRequestData> deletion,
                                                                  GroupCoordinatorService groups,
                                                                  Coordinator shareCoordinator,
                                                                  TopicNameResolver topics) {
        if (!served() || shareCoordinator == null) {
            return deletion;
        }
        return new ShareStateDeletingGroupsHandler(deletion, groups, shareCoordinator.store(), topics);
    }

    /**
     * The group APIs (on the group coordinator) and the share-partition APIs (ShareFetch,
     * ShareAcknowledge: this broker's share sessions and the share-partition states of the
     * partitions it leads), or none while not served: then the {@code group.share.*} keys set are
     * acted on by nothing, and one warning names them.
     */
    public static List<ApiHandler<?>> handlers(GroupCoordinatorService groups, Coordinator shareCoordinator,
                                               TopicNameResolver topics, PartitionAccess access,
                                               BrokerConfig brokerConfig, GroupConfigOverrides overrides) {
        if (!served() || shareCoordinator == null) {
            TreeSet<String> set = new TreeSet<>();
            brokerConfig.originals().keySet().stream().filter(k -> k.startsWith(BROKER_KEY_PREFIX)).forEach(set::add);
            if (!set.isEmpty()) {
                LOG.warn("Ignoring share group settings (share groups are not served): {}", String.join(", ", set));
            }
            return List.of();
        }
        ShareGroupConfig config = ShareGroupConfig.from(brokerConfig).withOverrides(overrides);
        ShareSessions sessions = new ShareSessions(brokerConfig.getInt("group.share.max.share.sessions"));
        SharePartitions partitions = new SharePartitions(access, config, shareCoordinator.store(),
                name -> topics.image().topic(name).map(TopicImage::topicId).orElse(null))
                .deadLettersTo(shareCoordinator.deadLetters());
        ShareCoordinatorService state = shareCoordinator.service();
        return List.of(new ShareGroupHeartbeatHandler(groups), new ShareGroupDescribeHandler(groups),
                new ShareFetchHandler(topics, sessions, partitions, Time.SYSTEM),
                new ShareAcknowledgeHandler(topics, sessions, partitions, Time.SYSTEM),
                new ClusterActionOnly<>(new InitializeShareGroupStateHandler(state)),
                new ClusterActionOnly<>(new ReadShareGroupStateHandler(state)),
                new ClusterActionOnly<>(new WriteShareGroupStateHandler(state)),
                new ClusterActionOnly<>(new DeleteShareGroupStateHandler(state)),
                new ClusterActionOnly<>(new ReadShareGroupStateSummaryHandler(state)),
                new DescribeShareGroupOffsetsHandler(groups, shareCoordinator.store(), topics, access),
                new AlterShareGroupOffsetsHandler(groups, shareCoordinator.store(), topics),
                new DeleteShareGroupOffsetsHandler(groups, shareCoordinator.store(), topics));
    }
}

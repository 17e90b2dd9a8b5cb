package io.millrace.server.coordinator;

import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code __consumer_offsets}: creates it on first need (offsets.topic.num.partitions partitions,
 * replication factor offsets.topic.replication.factor, or 1 on a single node; compacted), and keeps
 * the group coordinator's shards in line with this node's leadership of its partitions: a
 * partition it comes to lead is loaded, one it stops leading is unloaded.
 *
 * <p>Threads: {@link #onImage} runs on the metadata thread; the rest on any thread.
 */
public final class OffsetsTopic implements MetadataListener {
    public static final String NAME = "__consumer_offsets";
    private static final Logger log = LoggerFactory.getLogger(OffsetsTopic.class);

    private final int nodeId;
    private final ControllerChannel controller;
    private final MetadataView metadata;
    private final GroupCoordinatorService coordinator;
    private final TopicSpec spec;
    private final Set<Integer> led = new HashSet<>();
    private CompletableFuture<Boolean> creating;

    public OffsetsTopic(int nodeId, ControllerChannel controller, MetadataView metadata,
                        GroupCoordinatorService coordinator, BrokerConfig config, boolean singleNode) {
        this.nodeId = nodeId;
        this.controller = controller;
        this.metadata = metadata;
        this.coordinator = coordinator;
        // A node that is its own cluster caps the factor at 1; a cluster uses it as configured, and
        // creation fails (FindCoordinator answers COORDINATOR_NOT_AVAILABLE) until enough brokers are up.
        short replicationFactor = singleNode ? 1 : config.offsetsTopicReplicationFactor();
        this.spec = new TopicSpec(NAME, config.offsetsTopicNumPartitions(), replicationFactor, Map.of(),
                Map.of("cleanup.policy", "compact",
                        "segment.bytes", String.valueOf(config.getInt("offsets.topic.segment.bytes")),
                        "compression.type", "producer"));
    }

    /** The leader of the partition that coordinates {@code groupId}, when the topic exists. */
    public Optional<Integer> leaderFor(String groupId) {
        return metadata.image().topic(NAME)
                .map(topic -> topic.partitions().get(coordinator.partitionFor(groupId)))
                .map(PartitionRecord::leader);
    }

    public boolean exists() {
        return metadata.image().topic(NAME).isPresent();
    }

    /** Creates the topic unless it exists; completes true once it does. */
    public synchronized CompletableFuture<Boolean> ensureCreated() {
        if (exists()) {
            return CompletableFuture.completedFuture(true);
        }
        if (creating == null || creating.isDone()) {
            log.info("Creating {} with {} partitions", NAME, spec.numPartitions());
            creating = controller.createTopics(List.of(spec), false).handle((List<CreateTopicResult> results, Throwable e) -> {
                if (e != null) {
                    log.warn("Creating {} failed: {}", NAME, e.toString());
                    return false;
                }
                CreateTopicResult result = results.get(0);
                if (!result.error().isSuccess() && result.error().error() != Errors.TOPIC_ALREADY_EXISTS) {
                    log.warn("Creating {} failed: {}", NAME, result.error().message());
                }
                return exists();
            });
        }
        return creating;
    }

    @Override
    public synchronized void onImage(MetadataImage previous, MetadataImage current) {
        Set<Integer> leading = new HashSet<>();
        Optional<TopicImage> topic = current.topic(NAME);
        topic.ifPresent(t -> {
            coordinator.useNumPartitions(t.partitionCount());
            t.partitions().values().forEach(p -> {
                if (p.leader() == nodeId) {
                    leading.add(p.partition());
                }
            });
        });
        for (int partition : leading) {
            if (led.add(partition)) {
                coordinator.onElection(partition);
            }
        }
        for (int partition : Set.copyOf(led)) {
            if (!leading.contains(partition)) {
                led.remove(partition);
                coordinator.onResignation(partition);
            }
        }
    }
}

package io.millrace.server.coordinator;

import io.millrace.coordinator.runtime.CoordinatorPartitions;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator's internal topic ({@code __consumer_offsets}, {@code __transaction_state}, as a
 * {@link CoordinatorTopicSpec} describes it): creates it on first need, and keeps the coordinator's
 * shards in line with this node's leadership of its partitions: a partition it comes to lead is
 * loaded, one it stops leading is unloaded ({@link CoordinatorPartitions}).
 *
 * <p>Threads: {@link #onImage} runs on the metadata thread; the rest on any thread.
 */
public final class CoordinatorTopic implements MetadataListener {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorTopic.class);

    private final CoordinatorTopicSpec spec;
    private final int nodeId;
    private final ControllerChannel controller;
    private final MetadataView metadata;
    private final CoordinatorPartitions coordinator;
    private final Set<Integer> led = new HashSet<>();
    private CompletableFuture<Boolean> creating;

    public CoordinatorTopic(CoordinatorTopicSpec spec, int nodeId, ControllerChannel controller, MetadataView metadata,
                            CoordinatorPartitions coordinator) {
        this.spec = spec;
        this.nodeId = nodeId;
        this.controller = controller;
        this.metadata = metadata;
        this.coordinator = coordinator;
    }

    public String name() {
        return spec.name();
    }

    /** The leader of the partition that coordinates {@code key}, when the topic exists. */
    public Optional<Integer> leaderFor(String key) {
        return metadata.image().topic(spec.name())
                .map(topic -> topic.partitions().get(coordinator.partitionFor(key)))
                .map(PartitionRecord::leader);
    }

    public boolean exists() {
        return metadata.image().topic(spec.name()).isPresent();
    }

    /** Creates the topic unless it exists; completes true once it does. */
    public synchronized CompletableFuture<Boolean> ensureCreated() {
        if (exists()) {
            return CompletableFuture.completedFuture(true);
        }
        if (creating == null || creating.isDone()) {
            log.info("Creating {} with {} partitions", spec.name(), spec.partitions());
            creating = controller.createTopics(List.of(spec.topicSpec()), false).handle((List<CreateTopicResult> results, Throwable e) -> {
                if (e != null) {
                    log.warn("Creating {} failed: {}", spec.name(), e.toString());
                    return false;
                }
                CreateTopicResult result = results.get(0);
                if (!result.error().isSuccess() && result.error().error() != Errors.TOPIC_ALREADY_EXISTS) {
                    log.warn("Creating {} failed: {}", spec.name(), result.error().message());
                }
                return exists();
            });
        }
        return creating;
    }

    @Override
    public synchronized void onImage(MetadataImage previous, MetadataImage current) {
        Set<Integer> leading = new HashSet<>();
        Optional<TopicImage> topic = current.topic(spec.name());
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

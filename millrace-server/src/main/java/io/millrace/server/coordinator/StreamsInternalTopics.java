package io.millrace.server.coordinator;

import io.millrace.coordinator.streams.ConfiguredTopology.TopicToCreate;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the repartition and changelog topics a streams group's topology needs and the cluster
 * lacks (KIP-1071: the broker creates them, with the partitions the coordinator computed and the
 * configs the topology asks for; the members see MISSING_INTERNAL_TOPICS until they exist). Asks
 * the controller once per topic at a time; a topic that already exists is fine. Thread-safe.
 */
public final class StreamsInternalTopics {
    private static final Logger log = LoggerFactory.getLogger(StreamsInternalTopics.class);

    private final ControllerChannel controller;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public StreamsInternalTopics(ControllerChannel controller) {
        this.controller = controller;
    }

    public void create(List<TopicToCreate> topics) {
        List<TopicSpec> specs = topics.stream().filter(t -> inFlight.add(t.name()))
                .map(t -> new TopicSpec(t.name(), t.partitions(), t.replicationFactor(), Map.of(), t.configs()))
                .toList();
        if (specs.isEmpty()) {
            return;
        }
        controller.createTopics(specs, false).whenComplete((results, error) -> {
            specs.forEach(s -> inFlight.remove(s.name()));
            if (error != null) {
                log.warn("Could not create streams internal topics {}: {}", specs.stream().map(TopicSpec::name).toList(),
                        error.toString());
            } else {
                log.info("Created streams internal topics {}", specs.stream().map(TopicSpec::name).toList());
            }
        });
    }
}

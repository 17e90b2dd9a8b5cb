package io.millrace.coordinator.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.TopicsView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.CopartitionGroup;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.junit.jupiter.api.Test;

class ConfiguredTopologyTest {

    private static TopicsView topics(Map<String, Integer> partitions) {
        return new TopicsView() {
            @Override
            public Optional<TopicInfo> byName(String name) {
                return Optional.ofNullable(partitions.get(name)).map(n -> new TopicInfo(name, Uuid.ZERO_UUID, n));
            }

            @Override
            public Optional<TopicInfo> byId(Uuid id) {
                return Optional.empty();
            }

            @Override
            public Collection<TopicInfo> all() {
                return partitions.entrySet().stream().map(e -> new TopicInfo(e.getKey(), Uuid.ZERO_UUID, e.getValue()))
                        .toList();
            }
        };
    }

    @Test
    void missingSourceTopicsAreReported() {
        Topology topology = new Topology().setSubtopologies(List.of(new Subtopology().setSubtopologyId("0")
                .setSourceTopics(List.of("absent"))));
        ConfiguredTopology configured = ConfiguredTopology.of(topology, topics(Map.of()));
        assertEquals(ConfiguredTopology.MISSING_SOURCE_TOPICS, configured.problems().get(0).code());
        assertTrue(configured.tasksPerSubtopology().isEmpty());
    }

    @Test
    void aJoinsRepartitionTopicTakesTheCountOfTheTopicItIsCopartitionedWith() {
        // subtopology 0 re-keys "left" (6 partitions) into "rekeyed"; 1 joins "rekeyed" with "right" (4)
        Topology topology = new Topology().setSubtopologies(List.of(
                new Subtopology().setSubtopologyId("0").setSourceTopics(List.of("left"))
                        .setRepartitionSinkTopics(List.of("rekeyed")),
                new Subtopology().setSubtopologyId("1").setSourceTopics(List.of("right"))
                        .setRepartitionSourceTopics(List.of(new TopicInfo().setName("rekeyed")))
                        .setCopartitionGroups(List.of(new CopartitionGroup().setSourceTopics(List.of((short) 0))
                                .setRepartitionSourceTopics(List.of((short) 0))))));
        ConfiguredTopology configured = ConfiguredTopology.of(topology, topics(Map.of("left", 6, "right", 4)));
        assertEquals(4, configured.missingInternalTopics().get("rekeyed").partitions());
        assertEquals(ConfiguredTopology.MISSING_INTERNAL_TOPICS, configured.problems().get(0).code());

        ConfiguredTopology created = ConfiguredTopology.of(topology, topics(Map.of("left", 6, "right", 4, "rekeyed", 4)));
        assertTrue(created.ready(), created.problems().toString());
        assertEquals(Map.of("0", 6, "1", 4), created.tasksPerSubtopology());
    }

    @Test
    void copartitionedSourceTopicsThatDisagreeAreReported() {
        Topology topology = new Topology().setSubtopologies(List.of(new Subtopology().setSubtopologyId("0")
                .setSourceTopics(List.of("a", "b"))
                .setCopartitionGroups(List.of(new CopartitionGroup().setSourceTopics(List.of((short) 0, (short) 1))))));
        ConfiguredTopology configured = ConfiguredTopology.of(topology, topics(Map.of("a", 2, "b", 3)));
        assertEquals(ConfiguredTopology.INCORRECTLY_PARTITIONED_TOPICS, configured.problems().get(0).code());
    }
}

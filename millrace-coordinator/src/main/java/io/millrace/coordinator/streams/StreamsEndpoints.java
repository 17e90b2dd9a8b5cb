package io.millrace.coordinator.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData.Endpoint;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData.EndpointToPartitions;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData.TopicPartition;

/**
 * Who holds which partitions, by the members' interactive-query endpoints
 * ({@code application.server}): for each endpoint, the partitions of the source topics of the
 * tasks its members own now, active and standby (one process's members share an endpoint).
 * Stateless.
 */
final class StreamsEndpoints {
    private StreamsEndpoints() {
    }

    static List<EndpointToPartitions> partitionsByEndpoint(StreamsGroup group) {
        Map<String, List<String>> sources = new TreeMap<>();
        if (group.topology() != null) {
            for (Subtopology s : group.topology().subtopologies()) {
                List<String> names = new ArrayList<>(s.sourceTopics());
                s.repartitionSourceTopics().forEach(t -> names.add(t.name()));
                sources.put(s.subtopologyId(), names);
            }
        }
        Map<String, Map<String, SortedSet<Integer>>> active = new TreeMap<>();
        Map<String, Map<String, SortedSet<Integer>>> standby = new TreeMap<>();
        Map<String, Endpoint> endpoints = new TreeMap<>();
        group.members().forEach((id, m) -> {
            if (m.endpointHost() == null) {
                return;
            }
            String key = m.endpointHost() + ":" + m.endpointPort();
            endpoints.putIfAbsent(key, new Endpoint().setHost(m.endpointHost()).setPort(m.endpointPort()));
            StreamsMemberAssignment a = group.assignment(id);
            add(active.computeIfAbsent(key, k -> new TreeMap<>()), a.active(), sources);
            add(standby.computeIfAbsent(key, k -> new TreeMap<>()), a.standby(), sources);
        });
        List<EndpointToPartitions> out = new ArrayList<>();
        endpoints.forEach((key, endpoint) -> out.add(new EndpointToPartitions().setUserEndpoint(endpoint)
                .setActivePartitions(wire(active.get(key))).setStandbyPartitions(wire(standby.get(key)))));
        return out;
    }

    private static void add(Map<String, SortedSet<Integer>> byTopic, Tasks tasks, Map<String, List<String>> sources) {
        tasks.forEach((subtopology, partitions) -> sources.getOrDefault(subtopology, List.of()).forEach(topic ->
                byTopic.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(partitions)));
    }

    private static List<TopicPartition> wire(Map<String, SortedSet<Integer>> byTopic) {
        List<TopicPartition> out = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> out.add(new TopicPartition().setTopic(topic)
                .setPartitions(new ArrayList<>(partitions))));
        return out;
    }
}

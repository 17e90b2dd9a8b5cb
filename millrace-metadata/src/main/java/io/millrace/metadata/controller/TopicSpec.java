package io.millrace.metadata.controller;

import java.util.List;
import java.util.Map;

/**
 * A topic to create, as CreateTopics describes it.
 *
 * @param numPartitions     -1 for the broker default
 * @param replicationFactor -1 for the broker default
 * @param assignments       explicit replicas per partition, empty when not given
 * @param configs           topic-level config overrides
 */
public record TopicSpec(String name, int numPartitions, short replicationFactor,
                        Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
    public TopicSpec {
        assignments = Map.copyOf(assignments);
        configs = Map.copyOf(configs);
    }
}

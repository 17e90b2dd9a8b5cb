package io.millrace.metadata.image;

import io.millrace.metadata.records.PartitionRecord;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * One topic as the metadata describes it: immutable.
 *
 * @param partitions partition id to its latest replica state, ascending
 * @param configs    the topic's dynamic config overrides only (not broker defaults)
 */
public record TopicImage(String name, Uuid topicId, NavigableMap<Integer, PartitionRecord> partitions,
                         Map<String, String> configs) {
    public TopicImage {
        partitions = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(partitions));
        configs = Map.copyOf(configs);
    }

    public int partitionCount() {
        return partitions.size();
    }
}

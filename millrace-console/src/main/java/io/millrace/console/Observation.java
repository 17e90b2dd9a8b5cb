package io.millrace.console;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What one sampler pass saw of the cluster: each partition's log-end offset and size on disk
 * (the largest replica's), and each consumer group's committed offsets. Immutable.
 *
 * @param timeMs     when the pass started, in ms since the epoch
 * @param endOffsets log-end offset per partition
 * @param sizes      bytes on disk per partition (missing when the log dirs could not be described)
 * @param committed  committed offset per partition, per consumer group
 */
record Observation(long timeMs, Map<TopicPartition, Long> endOffsets, Map<TopicPartition, Long> sizes,
                   Map<String, Map<TopicPartition, Long>> committed) {

    Observation {
        endOffsets = Map.copyOf(endOffsets);
        sizes = Map.copyOf(sizes);
        committed = Map.copyOf(committed);
    }
}

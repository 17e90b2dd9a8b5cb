package io.millrace.server.coordinator;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.metadata.controller.TopicSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The internal topic a coordinator keeps its state in, as Kafka configures it: name, partitions,
 * replication factor, min.insync.replicas (null: the broker default), segment size and compaction.
 * {@link #consumerOffsets} describes {@code __consumer_offsets} (offsets.topic.*),
 * {@link #transactionState} {@code __transaction_state} (transaction.state.log.*),
 * {@link #shareGroupState} {@code __share_group_state}. A node that is
 * its own cluster caps the replication factor, and the min ISR, at 1; a cluster uses them as
 * configured, and creation fails (FindCoordinator answers COORDINATOR_NOT_AVAILABLE) until enough
 * brokers are up. Immutable.
 */
public record CoordinatorTopicSpec(String name, int partitions, short replicationFactor, Integer minInsyncReplicas,
                                   int segmentBytes, boolean compacted) {
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";
    public static final String TRANSACTION_STATE = "__transaction_state";
    public static final String SHARE_GROUP_STATE = "__share_group_state";

    public static CoordinatorTopicSpec consumerOffsets(BrokerConfig config, boolean singleNode) {
        short replicationFactor = singleNode ? 1 : config.offsetsTopicReplicationFactor();
        return new CoordinatorTopicSpec(CONSUMER_OFFSETS, config.offsetsTopicNumPartitions(), replicationFactor, null,
                config.getInt("offsets.topic.segment.bytes"), true);
    }

    public static CoordinatorTopicSpec transactionState(BrokerConfig config, boolean singleNode) {
        short replicationFactor = singleNode ? 1 : config.transactionStateLogReplicationFactor();
        int minIsr = config.getInt(BrokerConfigs.TRANSACTION_STATE_LOG_MIN_ISR);
        return new CoordinatorTopicSpec(TRANSACTION_STATE, config.transactionStateLogNumPartitions(),
                replicationFactor, singleNode ? 1 : minIsr, config.getInt("transaction.state.log.segment.bytes"), true);
    }

    /** {@code __share_group_state} (share.coordinator.state.topic.*), the share coordinator's. */
    public static CoordinatorTopicSpec shareGroupState(BrokerConfig config, boolean singleNode) {
        short replicationFactor = singleNode ? 1 : ((Number) config.get("share.coordinator.state.topic.replication.factor"))
                .shortValue();
        int minIsr = ((Number) config.get("share.coordinator.state.topic.min.isr")).intValue();
        return new CoordinatorTopicSpec(SHARE_GROUP_STATE, config.getInt("share.coordinator.state.topic.num.partitions"),
                replicationFactor, singleNode ? 1 : minIsr, config.getInt("share.coordinator.state.topic.segment.bytes"),
                true);
    }

    /** What the controller is asked to create. */
    public TopicSpec topicSpec() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("segment.bytes", String.valueOf(segmentBytes));
        configs.put("compression.type", "producer");
        if (minInsyncReplicas != null) {
            configs.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
        }
        return new TopicSpec(name, partitions, replicationFactor, Map.of(), configs);
    }
}

package io.millrace.server.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.common.config.BrokerConfig;
import io.millrace.metadata.controller.TopicSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorTopicSpecTest {
    private final BrokerConfig config = BrokerConfig.fromProperties(Map.of(
            "offsets.topic.num.partitions", "7", "offsets.topic.replication.factor", "3",
            "offsets.topic.segment.bytes", "1048576",
            "transaction.state.log.num.partitions", "11", "transaction.state.log.replication.factor", "3",
            "transaction.state.log.min.isr", "2", "transaction.state.log.segment.bytes", "2097152"));

    @Test
    void consumerOffsetsFollowsTheOffsetsTopicKeys() {
        TopicSpec spec = CoordinatorTopicSpec.consumerOffsets(config, false).topicSpec();
        assertEquals("__consumer_offsets", spec.name());
        assertEquals(7, spec.numPartitions());
        assertEquals(3, spec.replicationFactor());
        assertEquals(Map.of("cleanup.policy", "compact", "segment.bytes", "1048576", "compression.type", "producer"),
                spec.configs());
    }

    @Test
    void transactionStateFollowsTheTransactionStateLogKeys() {
        TopicSpec spec = CoordinatorTopicSpec.transactionState(config, false).topicSpec();
        assertEquals("__transaction_state", spec.name());
        assertEquals(11, spec.numPartitions());
        assertEquals(3, spec.replicationFactor());
        assertEquals(Map.of("cleanup.policy", "compact", "segment.bytes", "2097152", "compression.type", "producer",
                "min.insync.replicas", "2"), spec.configs());
    }

    @Test
    void aSingleNodeCapsReplicationAndMinIsrAtOne() {
        CoordinatorTopicSpec spec = CoordinatorTopicSpec.transactionState(config, true);
        assertEquals(1, spec.replicationFactor());
        assertEquals(1, spec.minInsyncReplicas());
        assertEquals(1, CoordinatorTopicSpec.consumerOffsets(config, true).replicationFactor());
    }
}

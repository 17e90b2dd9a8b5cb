package io.millrace.server.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The partition-health rules behind the gauges, as Kafka counts them on the leader. */
class PartitionGaugesTest {
    private static final Uuid TOPIC = Uuid.randomUuid();

    private static PartitionRecord state(List<Integer> isr) {
        return new PartitionRecord(TOPIC, 0, List.of(1, 2, 3), isr, 1, 1, 1);
    }

    @Test
    void underReplicatedOnceAFollowerLeavesTheIsr() {
        assertFalse(PartitionGauges.underReplicated(state(List.of(1, 2, 3))));
        assertTrue(PartitionGauges.underReplicated(state(List.of(1, 2))), "follower 3 stopped");
        assertTrue(PartitionGauges.underReplicated(state(List.of(1))));
    }

    @Test
    void underMinIsrBelowMinInsyncReplicas() {
        assertFalse(PartitionGauges.underMinIsr(state(List.of(1, 2)), 2));
        assertTrue(PartitionGauges.underMinIsr(state(List.of(1)), 2));
        assertFalse(PartitionGauges.underMinIsr(state(List.of(1)), 1));
    }
}

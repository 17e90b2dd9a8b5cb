package io.millrace.metadata.records;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A partition's full replica state, written when it is created and whenever its leader, ISR,
 * replicas or reassignment change (the latest record for a partition wins).
 *
 * @param replicas         every replica, preferred leader first; during a reassignment the union
 *                         of the old and the target set
 * @param leader           the leading broker, or -1 when no replica can lead
 * @param addingReplicas   replicas a reassignment is adding (empty when none is under way)
 * @param removingReplicas replicas a reassignment will remove once the adding ones are in the ISR
 */
public record PartitionRecord(Uuid topicId, int partition, List<Integer> replicas, List<Integer> isr,
                              int leader, int leaderEpoch, int partitionEpoch,
                              List<Integer> addingReplicas, List<Integer> removingReplicas)
        implements MetadataRecord {
    public static final int NO_LEADER = -1;

    public PartitionRecord {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    public PartitionRecord(Uuid topicId, int partition, List<Integer> replicas, List<Integer> isr,
                           int leader, int leaderEpoch, int partitionEpoch) {
        this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }
}

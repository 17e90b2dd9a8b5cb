package io.millrace.metadata.records;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A partition's full replica state, written when it is created and whenever its leader, ISR or
 * replicas change (the latest record for a partition wins).
 */
public record PartitionRecord(Uuid topicId, int partition, List<Integer> replicas, List<Integer> isr,
                              int leader, int leaderEpoch, int partitionEpoch) implements MetadataRecord {
    public PartitionRecord {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}

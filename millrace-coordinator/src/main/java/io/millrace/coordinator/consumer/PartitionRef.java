package io.millrace.coordinator.consumer;

import java.util.Comparator;
import org.apache.kafka.common.Uuid;

/** One partition of a topic, named by topic id. Ordered by topic id, then partition. */
public record PartitionRef(Uuid topicId, int partition) implements Comparable<PartitionRef> {
    private static final Comparator<PartitionRef> ORDER =
            Comparator.comparing(PartitionRef::topicId).thenComparingInt(PartitionRef::partition);

    @Override
    public int compareTo(PartitionRef other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topicId + "-" + partition;
    }
}

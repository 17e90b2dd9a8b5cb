package io.millrace.coordinator.consumer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code range} assignor: each topic's partitions are split into contiguous ranges over the
 * members subscribed to it, ordered by member id; the first {@code partitions % members} get one
 * more. Members subscribed to the same co-partitioned topics therefore get the same partition
 * numbers of each (partition 0 of both topics goes to the same member), which joins need.
 *
 * <p>Not sticky beyond that: a membership change may shift every range. Stateless and thread-safe.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, PartitionSet> assign(Spec spec) {
        Map<String, PartitionSet.Builder> builders = new LinkedHashMap<>();
        spec.members().keySet().forEach(id -> builders.put(id, PartitionSet.builder()));
        for (Uuid topic : new TreeSet<>(spec.partitionCounts().keySet())) {
            List<String> subscribers = new ArrayList<>();
            spec.members().forEach((id, member) -> {
                if (member.subscribedTopics().contains(topic)) {
                    subscribers.add(id);
                }
            });
            if (subscribers.isEmpty()) {
                continue;
            }
            int partitions = spec.partitionCounts().get(topic);
            int base = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = base + (i < extra ? 1 : 0);
                PartitionSet.Builder builder = builders.get(subscribers.get(i));
                for (int p = next; p < next + count; p++) {
                    builder.add(topic, p);
                }
                next += count;
            }
        }
        Map<String, PartitionSet> result = new LinkedHashMap<>();
        builders.forEach((id, builder) -> result.put(id, builder.build()));
        return result;
    }
}

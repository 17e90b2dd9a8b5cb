package io.millrace.coordinator.consumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.Uuid;

/**
 * An immutable set of partitions across topics, keyed by topic id: an assignment, a target, the
 * partitions a member reports it owns. Topics with no partitions are never held, so two sets
 * with the same partitions are equal. Iteration is ordered by topic id, then partition.
 *
 * <p>Immutable and thread-safe.
 */
public final class PartitionSet {
    public static final PartitionSet EMPTY = new PartitionSet(Collections.emptySortedMap());

    private final SortedMap<Uuid, SortedSet<Integer>> byTopic;
    private final int size;

    private PartitionSet(SortedMap<Uuid, SortedSet<Integer>> byTopic) {
        this.byTopic = byTopic;
        this.size = byTopic.values().stream().mapToInt(Set::size).sum();
    }

    /** The set holding {@code partitions}; empty collections are dropped. */
    public static PartitionSet of(Map<Uuid, ? extends Collection<Integer>> partitions) {
        Builder builder = new Builder();
        partitions.forEach(builder::addAll);
        return builder.build();
    }

    public static PartitionSet of(Collection<PartitionRef> partitions) {
        Builder builder = new Builder();
        partitions.forEach(builder::add);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The topics with at least one partition here, ordered. */
    public Set<Uuid> topics() {
        return byTopic.keySet();
    }

    /** The partitions of {@code topicId} here, ordered; empty if none. */
    public SortedSet<Integer> partitions(Uuid topicId) {
        SortedSet<Integer> partitions = byTopic.get(topicId);
        return partitions == null ? Collections.emptySortedSet() : partitions;
    }

    /** The topic id → partitions view, ordered; unmodifiable. */
    public SortedMap<Uuid, SortedSet<Integer>> asMap() {
        return byTopic;
    }

    public boolean contains(Uuid topicId, int partition) {
        return partitions(topicId).contains(partition);
    }

    public boolean contains(PartitionRef partition) {
        return contains(partition.topicId(), partition.partition());
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Every partition, ordered by topic id then partition. */
    public List<PartitionRef> list() {
        List<PartitionRef> list = new ArrayList<>(size);
        byTopic.forEach((topic, partitions) -> partitions.forEach(p -> list.add(new PartitionRef(topic, p))));
        return list;
    }

    /** The partitions here that {@code keep} accepts. */
    public PartitionSet filter(Predicate<PartitionRef> keep) {
        Builder builder = new Builder();
        byTopic.forEach((topic, partitions) -> partitions.forEach(p -> {
            PartitionRef ref = new PartitionRef(topic, p);
            if (keep.test(ref)) {
                builder.add(ref);
            }
        }));
        return builder.build();
    }

    public PartitionSet minus(PartitionSet other) {
        return other.isEmpty() ? this : filter(p -> !other.contains(p));
    }

    public PartitionSet intersect(PartitionSet other) {
        return filter(other::contains);
    }

    public PartitionSet union(PartitionSet other) {
        if (other.isEmpty()) {
            return this;
        }
        Builder builder = new Builder();
        byTopic.forEach(builder::addAll);
        other.byTopic.forEach(builder::addAll);
        return builder.build();
    }

    public boolean containsAll(PartitionSet other) {
        return other.list().stream().allMatch(this::contains);
    }

    public boolean containsAny(PartitionSet other) {
        return other.list().stream().anyMatch(this::contains);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionSet that && byTopic.equals(that.byTopic);
    }

    @Override
    public int hashCode() {
        return byTopic.hashCode();
    }

    @Override
    public String toString() {
        return byTopic.toString();
    }

    /** Collects partitions; not thread-safe. */
    public static final class Builder {
        private final SortedMap<Uuid, SortedSet<Integer>> byTopic = new TreeMap<>();

        private Builder() {
        }

        public Builder add(Uuid topicId, int partition) {
            byTopic.computeIfAbsent(topicId, t -> new TreeSet<>()).add(partition);
            return this;
        }

        public Builder add(PartitionRef partition) {
            return add(partition.topicId(), partition.partition());
        }

        public Builder addAll(Uuid topicId, Collection<Integer> partitions) {
            if (!partitions.isEmpty()) {
                byTopic.computeIfAbsent(topicId, t -> new TreeSet<>()).addAll(partitions);
            }
            return this;
        }

        public PartitionSet build() {
            if (byTopic.isEmpty()) {
                return EMPTY;
            }
            SortedMap<Uuid, SortedSet<Integer>> frozen = new TreeMap<>();
            byTopic.forEach((topic, partitions) ->
                    frozen.put(topic, Collections.unmodifiableSortedSet(new TreeSet<>(partitions))));
            return new PartitionSet(Collections.unmodifiableSortedMap(frozen));
        }
    }
}

package io.millrace.coordinator.consumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The {@code uniform} assignor, the default: spreads partitions evenly over the members and
 * moves as few as it can from one assignment to the next.
 *
 * <ol>
 *   <li>Each member keeps the partitions of its previous target that still exist and that it
 *       still subscribes to.</li>
 *   <li>Partitions nobody kept go, one by one, to the least loaded member subscribed to their
 *       topic (partitions with the fewest candidate members first, so a topic only few members
 *       want is not starved).</li>
 *   <li>While some member holds two or more partitions more than another member that could take
 *       one of them, one such partition moves, most loaded member first.</li>
 * </ol>
 * With identical subscriptions this ends with every member holding ⌊P/N⌋ or ⌈P/N⌉ partitions.
 * With differing subscriptions it ends when no single move narrows a gap of two or more.
 * Ties break by member id, then topic id and partition, so the result is deterministic.
 *
 * <p>Stateless and thread-safe.
 */
public final class UniformAssignor implements ConsumerGroupAssignor {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, PartitionSet> assign(Spec spec) {
        return new Run(spec).assign();
    }

    /** The working state of one assignment. */
    private static final class Run {
        private final Spec spec;
        private final Map<Uuid, List<String>> subscribers = new TreeMap<>();
        private final Map<String, TreeMap<Uuid, TreeSet<Integer>>> owned = new TreeMap<>();
        private final Map<String, Integer> load = new HashMap<>();

        Run(Spec spec) {
            this.spec = spec;
            spec.partitionCounts().forEach((topic, count) -> {
                List<String> ids = new ArrayList<>();
                spec.members().forEach((id, member) -> {
                    if (member.subscribedTopics().contains(topic)) {
                        ids.add(id);
                    }
                });
                if (!ids.isEmpty() && count > 0) {
                    subscribers.put(topic, ids);
                }
            });
            spec.members().keySet().forEach(id -> {
                owned.put(id, new TreeMap<>());
                load.put(id, 0);
            });
        }

        Map<String, PartitionSet> assign() {
            Set<PartitionRef> claimed = keepPreviousTargets();
            assignUnclaimed(claimed);
            balance();
            Map<String, PartitionSet> result = new LinkedHashMap<>();
            owned.forEach((id, partitions) -> result.put(id, PartitionSet.of(partitions)));
            return result;
        }

        private Set<PartitionRef> keepPreviousTargets() {
            Set<PartitionRef> claimed = new HashSet<>();
            spec.members().forEach((id, member) -> {
                for (PartitionRef ref : member.currentTarget().list()) {
                    List<String> candidates = subscribers.get(ref.topicId());
                    if (candidates != null && candidates.contains(id)
                            && ref.partition() < spec.partitionCounts().get(ref.topicId())
                            && claimed.add(ref)) {
                        give(id, ref.topicId(), ref.partition());
                    }
                }
            });
            return claimed;
        }

        private void assignUnclaimed(Set<PartitionRef> claimed) {
            List<PartitionRef> unclaimed = new ArrayList<>();
            subscribers.forEach((topic, ids) -> {
                for (int p = 0; p < spec.partitionCounts().get(topic); p++) {
                    PartitionRef ref = new PartitionRef(topic, p);
                    if (!claimed.contains(ref)) {
                        unclaimed.add(ref);
                    }
                }
            });
            unclaimed.sort(Comparator.<PartitionRef>comparingInt(ref -> subscribers.get(ref.topicId()).size())
                    .thenComparing(Comparator.naturalOrder()));
            for (PartitionRef ref : unclaimed) {
                give(leastLoaded(subscribers.get(ref.topicId())), ref.topicId(), ref.partition());
            }
        }

        private void balance() {
            while (moveOne()) {
                // each move lowers the sum of squared loads, so this ends
            }
        }

        private boolean moveOne() {
            List<String> byLoad = new ArrayList<>(owned.keySet());
            byLoad.sort(Comparator.<String>comparingInt(load::get).reversed().thenComparing(Comparator.naturalOrder()));
            for (String from : byLoad) {
                for (Map.Entry<Uuid, TreeSet<Integer>> topic : owned.get(from).entrySet()) {
                    String to = leastLoaded(subscribers.get(topic.getKey()));
                    if (load.get(from) - load.get(to) >= 2) {
                        int partition = topic.getValue().last();
                        take(from, topic.getKey(), partition);
                        give(to, topic.getKey(), partition);
                        return true;
                    }
                }
            }
            return false;
        }

        private String leastLoaded(List<String> candidates) {
            String best = null;
            for (String id : candidates) {
                if (best == null || load.get(id) < load.get(best)) {
                    best = id;
                }
            }
            return best;
        }

        private void give(String member, Uuid topic, int partition) {
            owned.get(member).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
            load.merge(member, 1, Integer::sum);
        }

        private void take(String member, Uuid topic, int partition) {
            TreeSet<Integer> partitions = owned.get(member).get(topic);
            partitions.remove(partition);
            if (partitions.isEmpty()) {
                owned.get(member).remove(topic);
            }
            load.merge(member, -1, Integer::sum);
        }
    }
}

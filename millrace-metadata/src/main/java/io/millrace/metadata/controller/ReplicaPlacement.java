package io.millrace.metadata.controller;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the replicas of new partitions go. Leaders are spread round robin from a given start
 * over a rack-alternating list of the brokers (rack A's first broker, rack B's first, ...,
 * rack A's second, ...), and each partition's following replicas are the next brokers of that
 * list on racks the partition does not use yet, so a partition spans as many racks as it can.
 * Without racks this is plain round robin. Pure and stateless.
 */
final class ReplicaPlacement {
    private ReplicaPlacement() {
    }

    /**
     * Replica lists for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @param brokers candidate broker ids, at least {@code replicationFactor} of them
     * @param start   where the round robin starts (random in production, fixed in tests)
     */
    static List<List<Integer>> place(MetadataImage image, List<Integer> brokers, int firstPartition, int count,
                                     int replicationFactor, int start) {
        List<Integer> arranged = rackAlternating(image, brokers);
        int n = arranged.size();
        List<List<Integer>> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int first = Math.floorMod(start + firstPartition + i, n);
            result.add(replicasFrom(image, arranged, first, replicationFactor));
        }
        return result;
    }

    /** The brokers grouped by rack (racks and brokers ascending), taken one rack at a time. */
    static List<Integer> rackAlternating(MetadataImage image, List<Integer> brokers) {
        Map<String, List<Integer>> byRack = new TreeMap<>();
        brokers.stream().sorted().forEach(id -> byRack.computeIfAbsent(rackOf(image, id), r -> new ArrayList<>()).add(id));
        List<Integer> arranged = new ArrayList<>(brokers.size());
        for (int round = 0; arranged.size() < brokers.size(); round++) {
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    arranged.add(rack.get(round));
                }
            }
        }
        return arranged;
    }

    private static List<Integer> replicasFrom(MetadataImage image, List<Integer> arranged, int first, int rf) {
        int n = arranged.size();
        List<Integer> chosen = new ArrayList<>(rf);
        Set<String> racksUsed = new HashSet<>();
        chosen.add(arranged.get(first));
        racksUsed.add(rackOf(image, arranged.get(first)));
        while (chosen.size() < rf) {
            Integer pick = null;
            for (int step = 1; step < n && pick == null; step++) {
                int candidate = arranged.get((first + step) % n);
                if (!chosen.contains(candidate) && !racksUsed.contains(rackOf(image, candidate))) {
                    pick = candidate;
                }
            }
            if (pick == null) {
                racksUsed.clear(); // every rack has a replica: start another round over all racks
                continue;
            }
            chosen.add(pick);
            racksUsed.add(rackOf(image, pick));
        }
        return chosen;
    }

    private static String rackOf(MetadataImage image, int brokerId) {
        BrokerImage broker = image.brokers().get(brokerId);
        return broker == null || broker.rack() == null ? "" : broker.rack();
    }
}

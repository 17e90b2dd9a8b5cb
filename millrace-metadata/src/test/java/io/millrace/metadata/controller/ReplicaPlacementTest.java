package io.millrace.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.millrace.metadata.image.MetadataImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {

    @Test
    void withoutRacksIsRoundRobinWithEvenLeaders() {
        MetadataImage image = TestImages.builder().active(1, 2, 3).build();
        List<List<Integer>> placed = ReplicaPlacement.place(image, List.of(3, 1, 2), 0, 3, 2, 0);
        assertEquals(List.of(List.of(1, 2), List.of(2, 3), List.of(3, 1)), placed);
    }

    @Test
    void consecutiveReplicasAreOnDifferentRacks() {
        MetadataImage image = TestImages.builder().activeOnRack(1, "a").activeOnRack(2, "a").activeOnRack(3, "b")
                .activeOnRack(4, "b").activeOnRack(5, "c").activeOnRack(6, "c").build();
        List<Integer> brokers = image.activeBrokerIds();
        assertEquals(List.of(1, 3, 5, 2, 4, 6), ReplicaPlacement.rackAlternating(image, brokers));
        List<List<Integer>> placed = ReplicaPlacement.place(image, brokers, 0, 12, 3, 0);
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> replicas = new HashMap<>();
        for (List<Integer> partition : placed) {
            assertEquals(3, partition.stream().map(b -> image.brokers().get(b).rack()).collect(Collectors.toSet()).size(),
                    "every replica on its own rack: " + partition);
            leaders.merge(partition.get(0), 1, Integer::sum);
            partition.forEach(b -> replicas.merge(b, 1, Integer::sum));
        }
        assertEquals(Map.of(1, 2, 2, 2, 3, 2, 4, 2, 5, 2, 6, 2), leaders);
        assertEquals(Map.of(1, 6, 2, 6, 3, 6, 4, 6, 5, 6, 6, 6), replicas);
    }

    @Test
    void moreReplicasThanRacksUseEveryRackBeforeRepeatingOne() {
        MetadataImage image = TestImages.builder().activeOnRack(1, "a").activeOnRack(2, "a").activeOnRack(3, "b")
                .activeOnRack(4, "b").build();
        for (List<Integer> partition : ReplicaPlacement.place(image, image.activeBrokerIds(), 0, 4, 3, 1)) {
            assertNotEquals(image.brokers().get(partition.get(0)).rack(), image.brokers().get(partition.get(1)).rack());
            assertEquals(3, partition.stream().distinct().count());
        }
    }
}

package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {
    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid U = Uuid.randomUuid();
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void coPartitionedTopicsGetTheSameRanges() {
        Map<String, PartitionSet> result = assignor.assign(new ConsumerGroupAssignor.Spec(
                UniformAssignorTest.members(Set.of(T, U), "a", "b", "c"), Map.of(T, 7, U, 7)));

        assertEquals(PartitionSet.builder().addAll(T, List.of(0, 1, 2)).addAll(U, List.of(0, 1, 2)).build(),
                result.get("a"));
        assertEquals(PartitionSet.builder().addAll(T, List.of(3, 4)).addAll(U, List.of(3, 4)).build(), result.get("b"));
        assertEquals(PartitionSet.builder().addAll(T, List.of(5, 6)).addAll(U, List.of(5, 6)).build(), result.get("c"));
    }

    @Test
    void eachTopicIsSplitOverItsOwnSubscribers() {
        SortedMap<String, ConsumerGroupAssignor.Member> members = new TreeMap<>();
        members.put("a", new ConsumerGroupAssignor.Member(Set.of(T), PartitionSet.EMPTY));
        members.put("b", new ConsumerGroupAssignor.Member(Set.of(T, U), PartitionSet.EMPTY));
        members.put("c", new ConsumerGroupAssignor.Member(Set.of(), PartitionSet.EMPTY));

        Map<String, PartitionSet> result = assignor.assign(new ConsumerGroupAssignor.Spec(members, Map.of(T, 3, U, 2)));

        assertEquals(PartitionSet.builder().addAll(T, List.of(0, 1)).build(), result.get("a"));
        assertEquals(PartitionSet.builder().add(T, 2).addAll(U, List.of(0, 1)).build(), result.get("b"));
        assertEquals(PartitionSet.EMPTY, result.get("c"));
        UniformAssignorTest.assertEachPartitionOnce(result, Map.of(T, 3, U, 2));
    }
}

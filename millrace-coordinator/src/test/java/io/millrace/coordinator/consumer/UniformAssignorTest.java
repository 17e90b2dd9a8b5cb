package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {
    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid U = Uuid.randomUuid();
    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void identicalSubscriptionsGetBalancedShares() {
        Map<String, PartitionSet> result = assign(members(Set.of(T), "a", "b", "c", "d"), Map.of(T, 10));

        assertEachPartitionOnce(result, Map.of(T, 10));
        result.values().forEach(p -> assertTrue(p.size() == 2 || p.size() == 3, p.toString()));
    }

    @Test
    void aJoiningMemberTakesOnlyWhatBalanceNeeds() {
        Map<String, PartitionSet> three = assign(members(Set.of(T), "a", "b", "c"), Map.of(T, 6));
        SortedMap<String, ConsumerGroupAssignor.Member> four = new TreeMap<>();
        three.forEach((id, target) -> four.put(id, new ConsumerGroupAssignor.Member(Set.of(T), target)));
        four.put("d", new ConsumerGroupAssignor.Member(Set.of(T), PartitionSet.EMPTY));

        Map<String, PartitionSet> after = assign(four, Map.of(T, 6));

        assertEachPartitionOnce(after, Map.of(T, 6));
        int moved = 0;
        for (String id : three.keySet()) {
            moved += three.get(id).minus(after.get(id)).size();
        }
        assertEquals(after.get("d").size(), moved, "only what d gets moves");
        assertTrue(after.get("d").size() >= 1);
        after.values().forEach(p -> assertTrue(p.size() <= 2));
    }

    @Test
    void aLeavingMembersPartitionsAreSpreadAndTheRestStay() {
        Map<String, PartitionSet> three = assign(members(Set.of(T), "a", "b", "c"), Map.of(T, 9));
        SortedMap<String, ConsumerGroupAssignor.Member> two = new TreeMap<>();
        two.put("a", new ConsumerGroupAssignor.Member(Set.of(T), three.get("a")));
        two.put("b", new ConsumerGroupAssignor.Member(Set.of(T), three.get("b")));

        Map<String, PartitionSet> after = assign(two, Map.of(T, 9));

        assertTrue(after.get("a").containsAll(three.get("a")));
        assertTrue(after.get("b").containsAll(three.get("b")));
        assertEachPartitionOnce(after, Map.of(T, 9));
    }

    @Test
    void differingSubscriptionsOnlyGetSubscribedTopics() {
        SortedMap<String, ConsumerGroupAssignor.Member> members = new TreeMap<>();
        members.put("a", new ConsumerGroupAssignor.Member(Set.of(T), PartitionSet.EMPTY));
        members.put("b", new ConsumerGroupAssignor.Member(Set.of(T, U), PartitionSet.EMPTY));
        members.put("c", new ConsumerGroupAssignor.Member(Set.of(U), PartitionSet.EMPTY));

        Map<String, PartitionSet> result = assign(members, Map.of(T, 4, U, 4));

        assertEachPartitionOnce(result, Map.of(T, 4, U, 4));
        assertEquals(Set.of(T), result.get("a").topics());
        assertEquals(Set.of(U), result.get("c").topics());
        result.values().forEach(p -> assertTrue(p.size() >= 2 && p.size() <= 3, result.toString()));
    }

    @Test
    void partitionsThatNoLongerExistOrAreNoLongerSubscribedAreDropped() {
        SortedMap<String, ConsumerGroupAssignor.Member> members = new TreeMap<>();
        members.put("a", new ConsumerGroupAssignor.Member(Set.of(T),
                PartitionSet.builder().addAll(T, List.of(0, 5)).add(U, 0).build()));

        Map<String, PartitionSet> result = assign(members, Map.of(T, 3));

        assertEquals(PartitionSet.builder().addAll(T, List.of(0, 1, 2)).build(), result.get("a"));
    }

    @Test
    void theResultIsDeterministicAndEveryMemberIsPresent() {
        Map<String, PartitionSet> one = assign(members(Set.of(T), "x", "y", "z"), Map.of(T, 2));
        Map<String, PartitionSet> two = assign(members(Set.of(T), "x", "y", "z"), Map.of(T, 2));

        assertEquals(one, two);
        assertEquals(Set.of("x", "y", "z"), one.keySet());
    }

    private Map<String, PartitionSet> assign(SortedMap<String, ConsumerGroupAssignor.Member> members,
                                             Map<Uuid, Integer> counts) {
        return assignor.assign(new ConsumerGroupAssignor.Spec(members, counts));
    }

    static SortedMap<String, ConsumerGroupAssignor.Member> members(Set<Uuid> topics, String... ids) {
        SortedMap<String, ConsumerGroupAssignor.Member> members = new TreeMap<>();
        for (String id : ids) {
            members.put(id, new ConsumerGroupAssignor.Member(topics, PartitionSet.EMPTY));
        }
        return members;
    }

    static void assertEachPartitionOnce(Map<String, PartitionSet> result, Map<Uuid, Integer> counts) {
        Set<PartitionRef> seen = new HashSet<>();
        result.values().forEach(p -> p.list().forEach(ref -> assertTrue(seen.add(ref), ref + " twice")));
        Map<Uuid, Integer> perTopic = new HashMap<>();
        seen.forEach(ref -> perTopic.merge(ref.topicId(), 1, Integer::sum));
        assertEquals(counts, perTopic);
    }
}

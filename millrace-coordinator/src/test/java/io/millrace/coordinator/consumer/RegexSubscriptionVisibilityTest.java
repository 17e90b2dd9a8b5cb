package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static io.millrace.coordinator.consumer.GroupHarness.assigned;
import static io.millrace.coordinator.consumer.GroupHarness.beat;
import static io.millrace.coordinator.consumer.GroupHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicVisibility;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** A regex subscription resolves, per member, to the matching topics its principal may DESCRIBE. */
class RegexSubscriptionVisibilityTest {
    private final GroupHarness h = new GroupHarness();
    private final Set<String> aliceSees = new HashSet<>(Set.of("a-1"));
    private final Set<String> bobSees = new HashSet<>(Set.of("a-1", "a-2"));
    private final AtomicInteger aliceQuestions = new AtomicInteger();
    private final GroupRequestContext alice = new GroupRequestContext("alice", "/127.0.0.1", (short) 1, topic -> {
        aliceQuestions.incrementAndGet();
        return aliceSees.contains(topic);
    });
    private final GroupRequestContext bob = new GroupRequestContext("bob", "/127.0.0.1", (short) 1, bobSees::contains);

    private static ConsumerGroupHeartbeatRequestData joinRegex(String memberId) {
        return join(memberId, null).setSubscribedTopicRegex("a-.*");
    }

    @Test
    void aRegexResolvesToTheMatchingTopicsTheMemberMaySee() {
        Uuid a1 = h.topics.create("a-1", 2);
        h.topics.create("a-2", 2);

        ConsumerGroupHeartbeatResponseData joined = h.send(joinRegex("m1"), alice);

        assertError(Errors.NONE, joined);
        assertEquals(PartitionSet.builder().addAll(a1, List.of(0, 1)).build(), assigned(joined));
        assertEquals(List.of("a-1"), h.groups.describe(GroupHarness.GROUP).members().get(0).assignment()
                .topicPartitions().stream().map(t -> t.topicName()).toList());
    }

    @Test
    void anAclGrantedOrRemovedCountsAtTheMembersNextHeartbeat() {
        Uuid a1 = h.topics.create("a-1", 1);
        Uuid a2 = h.topics.create("a-2", 1);
        ConsumerGroupHeartbeatResponseData joined = h.send(joinRegex("m1"), alice);
        assertEquals(PartitionSet.builder().add(a1, 0).build(), assigned(joined));

        aliceSees.add("a-2");
        ConsumerGroupHeartbeatResponseData granted = h.send(beat("m1", joined.memberEpoch()), alice);
        assertEquals(PartitionSet.builder().add(a1, 0).add(a2, 0).build(), assigned(granted));

        aliceSees.remove("a-1");
        ConsumerGroupHeartbeatResponseData removed = h.send(beat("m1", granted.memberEpoch()), alice);
        assertEquals(PartitionSet.builder().add(a2, 0).build(), assigned(removed));
    }

    @Test
    void aTopicCreatedThatTheMemberMayNotSeeIsNotAssigned() {
        Uuid a1 = h.topics.create("a-1", 1);
        ConsumerGroupHeartbeatResponseData joined = h.send(joinRegex("m1"), alice);

        h.topics.create("a-2", 4);
        ConsumerGroupHeartbeatResponseData later = h.send(beat("m1", joined.memberEpoch()), alice);

        assertEquals(joined.memberEpoch(), later.memberEpoch(), "nothing the member may see changed");
        assertEquals(List.of(a1), h.groups.describe(GroupHarness.GROUP).members().get(0).targetAssignment()
                .topicPartitions().stream().map(t -> t.topicId()).toList());
    }

    @Test
    void membersOfOneGroupWithDifferentPrincipalsEachGetOnlyWhatTheyMaySee() {
        Uuid a1 = h.topics.create("a-1", 4);
        Uuid a2 = h.topics.create("a-2", 4);
        GroupHarness.Client m1 = h.new Client("m1");
        GroupHarness.Client m2 = h.new Client("m2");
        m1.regex = "a-.*";
        m2.regex = "a-.*";
        for (int round = 0; round < 6; round++) {
            heartbeatAs(m1, alice);
            heartbeatAs(m2, bob);
            assertFalse(m1.owned.topics().contains(a2), "alice's member got a-2: " + m1.owned);
        }
        assertEquals(Set.of(a1), m1.owned.topics());
        assertTrue(m2.owned.topics().contains(a2), "bob's member has a-2: " + m2.owned);
        assertEquals(8, m1.owned.size() + m2.owned.size());
    }

    @Test
    void theAuthorizerIsAskedOncePerMemberHeartbeatNotForEveryMembersResolution() {
        h.topics.create("a-1", 1);
        h.topics.create("a-2", 1);
        ConsumerGroupHeartbeatResponseData joined = h.send(joinRegex("m1"), alice);
        int afterJoin = aliceQuestions.get();
        assertEquals(2, afterJoin, "one question per matched topic");

        ConsumerGroupHeartbeatResponseData other = h.send(joinRegex("m2"), bob);
        h.send(beat("m2", other.memberEpoch()), bob);
        assertEquals(afterJoin, aliceQuestions.get(), "bob's heartbeats reuse alice's answers");

        h.send(beat("m1", joined.memberEpoch()), alice);
        assertEquals(afterJoin + 2, aliceQuestions.get(), "alice's own heartbeat asks again");
    }

    @Test
    void afterACoordinatorMoveAMemberNotYetHeardFromKeepsWhatItHadAndGetsNothingNew() {
        Uuid a1 = h.topics.create("a-1", 1);
        ConsumerGroupHeartbeatResponseData m1 = h.send(joinRegex("m1"), alice);
        h.send(beat("m1", m1.memberEpoch()).setTopicPartitions(GroupHarness.owned(assigned(m1))), alice);
        aliceSees.add("a-2");
        h.restart();

        Uuid a2 = h.topics.create("a-2", 1);
        ConsumerGroupHeartbeatResponseData m2 = h.send(joinRegex("m2"), bob);
        assertEquals(PartitionSet.builder().add(a2, 0).build(), assigned(m2), "m1 keeps a-1, bob's m2 gets a-2");

        ConsumerGroupHeartbeatResponseData back = h.send(beat("m1", m1.memberEpoch()), alice);
        assertEquals(PartitionSet.builder().add(a1, 0).build(), assigned(back));
        assertTrue(h.groups.describe(GroupHarness.GROUP).members().stream()
                .allMatch(m -> m.subscribedTopicRegex().equals("a-.*")));
    }

    @Test
    void withoutAnAuthorizerEveryMatchingTopicIsAssigned() {
        Uuid a1 = h.topics.create("a-1", 1);
        Uuid a2 = h.topics.create("a-2", 1);
        GroupRequestContext open = new GroupRequestContext("c", "/127.0.0.1", (short) 1, TopicVisibility.ALL);
        assertEquals(PartitionSet.builder().add(a1, 0).add(a2, 0).build(), assigned(h.send(joinRegex("m1"), open)));
    }

    private void heartbeatAs(GroupHarness.Client client, GroupRequestContext context) {
        ConsumerGroupHeartbeatRequestData request = client.joined
                ? beat(client.memberId, client.epoch).setTopicPartitions(GroupHarness.owned(client.owned))
                : joinRegex(client.memberId);
        ConsumerGroupHeartbeatResponseData response = h.send(request, context);
        assertError(Errors.NONE, response);
        client.joined = true;
        client.epoch = response.memberEpoch();
        PartitionSet assignment = assigned(response);
        if (assignment != null) {
            client.owned = assignment;
        }
    }
}

package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.GROUP;
import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static io.millrace.coordinator.consumer.GroupHarness.assigned;
import static io.millrace.coordinator.consumer.GroupHarness.beat;
import static io.millrace.coordinator.consumer.GroupHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupSubscriptionTest {
    private final GroupHarness h = new GroupHarness();

    @Test
    void newPartitionsOfASubscribedTopicReachTheGroupAtTheNextHeartbeat() {
        Uuid t = h.topics.create("t", 2);
        h.send(join("m1", List.of("t")));
        assertNull(assigned(h.send(beat("m1", 1))));

        h.topics.grow("t", 4);
        ConsumerGroupHeartbeatResponseData response = h.send(beat("m1", 1));

        assertEquals(2, response.memberEpoch());
        assertEquals(PartitionSet.builder().addAll(t, List.of(0, 1, 2, 3)).build(), assigned(response));
    }

    @Test
    void aTopicCreatedAfterSubscribingIsAssignedWhenItAppears() {
        assertEquals(PartitionSet.EMPTY, assigned(h.send(join("m1", List.of("later")))));

        Uuid later = h.topics.create("later", 3);
        ConsumerGroupHeartbeatResponseData response = h.send(beat("m1", 1));

        assertEquals(PartitionSet.builder().addAll(later, List.of(0, 1, 2)).build(), assigned(response));
    }

    @Test
    void aDeletedTopicIsRevoked() {
        Uuid t = h.topics.create("t", 2);
        Uuid u = h.topics.create("u", 1);
        assertEquals(PartitionSet.builder().addAll(t, List.of(0, 1)).add(u, 0).build(),
                assigned(h.send(join("m1", List.of("t", "u")))));

        h.topics.delete("u");
        ConsumerGroupHeartbeatResponseData revoke = h.send(beat("m1", 1));
        assertEquals(PartitionSet.builder().addAll(t, List.of(0, 1)).build(), assigned(revoke));
        ConsumerGroupHeartbeatResponseData done = h.send(beat("m1", 1, assigned(revoke)));
        assertEquals(2, done.memberEpoch());
        assertEquals(ConsumerGroupState.STABLE, h.groups.state(GROUP).orElseThrow());
    }

    @Test
    void regexSubscriptionMatchesWholeNamesAndPicksUpNewTopics() {
        Uuid a = h.topics.create("orders-eu", 1);
        h.topics.create("orders-eu-dlq", 1);
        h.topics.create("payments", 1);
        h.topics.create("__consumer_offsets", 50);

        ConsumerGroupHeartbeatResponseData joined = h.send(join("m1", null).setSubscribedTopicRegex("orders-[a-z]+|__.*"));
        assertError(Errors.NONE, joined);
        assertEquals(PartitionSet.builder().add(a, 0).build(), assigned(joined));

        Uuid b = h.topics.create("orders-us", 2);
        ConsumerGroupHeartbeatResponseData grown = h.send(beat("m1", joined.memberEpoch()));
        assertEquals(PartitionSet.builder().add(a, 0).addAll(b, List.of(0, 1)).build(), assigned(grown));
        assertEquals("orders-[a-z]+|__.*", h.groups.describe(GROUP).members().get(0).subscribedTopicRegex());
    }

    @Test
    void invalidRegexIsRejected() {
        assertError(Errors.INVALID_REGULAR_EXPRESSION, h.send(join("m1", null).setSubscribedTopicRegex("orders-(")));
    }

    @Test
    void changingTheSubscriptionBumpsTheGroupEpoch() {
        Uuid t = h.topics.create("t", 1);
        Uuid u = h.topics.create("u", 1);
        h.send(join("m1", List.of("t")));

        ConsumerGroupHeartbeatResponseData response = h.send(beat("m1", 1).setSubscribedTopicNames(List.of("t", "u")));

        assertEquals(2, response.memberEpoch());
        assertEquals(PartitionSet.builder().add(t, 0).add(u, 0).build(), assigned(response));
    }

    @Test
    void membersWithDifferentSubscriptionsOnlyGetTheirTopics() {
        Uuid t = h.topics.create("t", 4);
        Uuid u = h.topics.create("u", 4);
        ConsumerGroupHeartbeatResponseData onlyT = h.send(join("a", List.of("t")));
        ConsumerGroupHeartbeatResponseData onlyU = h.send(join("b", List.of("u")));

        assertEquals(PartitionSet.builder().addAll(t, List.of(0, 1, 2, 3)).build(), assigned(onlyT));
        assertEquals(PartitionSet.builder().addAll(u, List.of(0, 1, 2, 3)).build(), assigned(onlyU));
    }
}

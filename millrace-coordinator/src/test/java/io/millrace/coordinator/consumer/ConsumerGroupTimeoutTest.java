package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.GROUP;
import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static io.millrace.coordinator.consumer.GroupHarness.assigned;
import static io.millrace.coordinator.consumer.GroupHarness.beat;
import static io.millrace.coordinator.consumer.GroupHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupTimeoutTest {
    private final GroupHarness h = new GroupHarness();

    @Test
    void everyHeartbeatRestartsTheSessionTimer() {
        h.topics.create("t", 2);
        h.send(join("m1", List.of("t")));
        String key = MemberTimers.sessionKey(GROUP, "m1");

        assertTrue(h.timer.isScheduled(key));
        assertEquals(45_000, h.timer.delay(key));
    }

    @Test
    void aMemberWhoseSessionEndsLosesItsPartitionsToTheOthers() {
        h.topics.create("t", 4);
        h.send(join("m1", List.of("t")));
        h.send(join("m2", List.of("t")));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        h.send(beat("m1", 1, kept));
        h.send(beat("m2", 2));

        h.fire(MemberTimers.sessionKey(GROUP, "m2"));

        assertEquals(1, h.groups.describe(GROUP).members().size());
        ConsumerGroupHeartbeatResponseData all = h.send(beat("m1", 2));
        assertEquals(4, assigned(all).size());
        assertError(Errors.UNKNOWN_MEMBER_ID, h.send(beat("m2", 2)));
        assertFalse(h.timer.isScheduled(MemberTimers.revocationKey(GROUP, "m2")));
    }

    @Test
    void aMemberThatDoesNotRevokeInTimeIsRemoved() {
        h.topics.create("t", 4);
        h.send(join("m1", List.of("t")).setRebalanceTimeoutMs(10_000));
        h.send(join("m2", List.of("t")));
        h.send(beat("m1", 1));   // asked to revoke; never acknowledges
        String key = MemberTimers.revocationKey(GROUP, "m1");
        assertEquals(10_000, h.timer.delay(key));

        h.fire(key);

        assertEquals(List.of("m2"), h.groups.describe(GROUP).members().stream().map(m -> m.memberId()).toList());
        assertEquals(4, assigned(h.send(beat("m2", 2))).size());
    }

    @Test
    void revocationTimerStopsOnceRevoked() {
        h.topics.create("t", 4);
        h.send(join("m1", List.of("t")));
        h.send(join("m2", List.of("t")));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        assertTrue(h.timer.isScheduled(MemberTimers.revocationKey(GROUP, "m1")));

        h.send(beat("m1", 1, kept));

        assertFalse(h.timer.isScheduled(MemberTimers.revocationKey(GROUP, "m1")));
    }

    @Test
    void staticMemberThatNeverComesBackIsRemovedAfterItsSession() {
        h.topics.create("t", 2);
        h.send(join("m1", List.of("t")).setInstanceId("i1"));
        h.send(beat("m1", GroupMembership.STATIC_LEAVE_EPOCH).setInstanceId("i1"));

        h.fire(MemberTimers.sessionKey(GROUP, "m1"));

        assertEquals(ConsumerGroupState.EMPTY, h.groups.state(GROUP).orElseThrow());
    }

    @Test
    void aTimerForAMemberThatAlreadyLeftDoesNothing() {
        h.topics.create("t", 2);
        h.send(join("m1", List.of("t")));
        h.send(beat("m1", GroupMembership.LEAVE_EPOCH));

        assertFalse(h.timer.isScheduled(MemberTimers.sessionKey(GROUP, "m1")));
        assertTrue(h.groups.listGroups().size() == 1);
    }
}

package io.millrace.coordinator.consumer;

import static io.millrace.coordinator.consumer.GroupHarness.GROUP;
import static io.millrace.coordinator.consumer.GroupHarness.assertError;
import static io.millrace.coordinator.consumer.GroupHarness.assigned;
import static io.millrace.coordinator.consumer.GroupHarness.beat;
import static io.millrace.coordinator.consumer.GroupHarness.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** A group rebuilt from its records (a restart, or a new coordinator) is the group it was. */
class ConsumerGroupReplayTest {
    private final GroupHarness h = new GroupHarness();

    @Test
    void replayingTheLogRebuildsMembersEpochsAndAssignmentsMidRebalance() {
        h.topics.create("t", 6);
        h.send(join("m1", List.of("t")).setInstanceId("i1").setRackId("r"));
        h.send(join("m2", List.of("t")).setServerAssignor("range"));
        PartitionSet kept = assigned(h.send(beat("m1", 1)));
        DescribedGroup before = h.groups.describe(GROUP);

        h.restart();

        assertEquals(before, h.groups.describe(GROUP));
        assertTrue(h.timer.isScheduled(MemberTimers.sessionKey(GROUP, "m1")));
        assertTrue(h.timer.isScheduled(MemberTimers.revocationKey(GROUP, "m1")));
        assertEquals(2, h.send(beat("m1", 1, kept)).memberEpoch());
        assertEquals(6 - kept.size(), assigned(h.send(beat("m2", 2))).size());
        assertError(Errors.UNRELEASED_INSTANCE_ID, h.send(join("m3", List.of("t")).setInstanceId("i1")));
    }

    @Test
    void replayingADeletedGroupLeavesNothing() {
        h.topics.create("t", 1);
        h.send(join("m1", List.of("t")));
        h.send(beat("m1", GroupMembership.LEAVE_EPOCH));
        h.append(h.groups.deletion(GROUP));

        h.restart();

        assertEquals(List.of(), h.groups.listings());
    }
}

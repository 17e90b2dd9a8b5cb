package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class IsrDecisionTest {
    private static final long LAG_MS = 10_000;
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    private static PartitionRecord state(List<Integer> replicas, List<Integer> isr) {
        return new PartitionRecord(TOPIC_ID, 0, replicas, isr, 1, 5, 7);
    }

    private static ReplicaProgress.FollowerState follower(long leo, long lastCaughtUpMs) {
        return new ReplicaProgress.FollowerState(leo, 0, lastCaughtUpMs, lastCaughtUpMs, leo);
    }

    private static Optional<IsrDecision.Proposal> decide(LeaderView view, long now) {
        return IsrDecision.decide(view, 1, now, LAG_MS, id -> true);
    }

    @Test
    void shrinksAFollowerThatHasNotCaughtUpWithinTheLagTime() {
        LeaderView view = new LeaderView(state(List.of(1, 2, 3), List.of(1, 2, 3)), 50, 100, 0,
                Map.of(2, follower(50, 1_000), 3, follower(100, 10_500)), false);
        IsrDecision.Proposal proposal = decide(view, 11_012).orElseThrow();
        assertTrue(proposal.shrink());
        assertEquals(List.of(1, 3), proposal.newIsr());
        assertEquals("Shrinking ISR of t-0 from [1,2,3] to [1,3]: broker 2 has not caught up for 10012 ms",
                proposal.describe(new TopicPartition("t", 0)));
    }

    @Test
    void keepsAFollowerWithinTheLagTime() {
        LeaderView view = new LeaderView(state(List.of(1, 2), List.of(1, 2)), 50, 100, 0,
                Map.of(2, follower(50, 1_000)), false);
        assertTrue(decide(view, 11_000).isEmpty()); // exactly the lag time: still in sync
        assertFalse(decide(view, 11_001).isEmpty());
    }

    @Test
    void keepsAFollowerAtTheLeaderLogEndEvenIfIdle() {
        LeaderView view = new LeaderView(state(List.of(1, 2), List.of(1, 2)), 100, 100, 0,
                Map.of(2, follower(100, 0)), false);
        assertTrue(decide(view, 1_000_000).isEmpty());
    }

    @Test
    void shrinksAFollowerNeverHeardOfUnderThisLeadershipOnceTheLagTimePasses() {
        ReplicaProgress progress = new ReplicaProgress();
        progress.reset(List.of(2), List.of(1, 2), 5_000);
        LeaderView view = new LeaderView(state(List.of(1, 2), List.of(1, 2)), 0, 10, 0, progress.snapshot(), false);
        assertTrue(decide(view, 15_000).isEmpty());
        assertEquals(List.of(1), decide(view, 15_001).orElseThrow().newIsr());
    }

    @Test
    void expandsAFollowerThatReachedTheHighWatermarkAndTheEpochStart() {
        LeaderView view = new LeaderView(state(List.of(1, 2, 3), List.of(1, 3)), 80, 100, 60,
                Map.of(2, follower(80, 0), 3, follower(100, 900)), false);
        IsrDecision.Proposal proposal = decide(view, 1_000).orElseThrow();
        assertFalse(proposal.shrink());
        assertEquals(List.of(1, 3, 2), proposal.newIsr());
        assertTrue(proposal.describe(new TopicPartition("t", 0))
                .startsWith("Expanding ISR of t-0 from [1,3] to [1,3,2]: broker 2 caught up"));
    }

    @Test
    void doesNotExpandBelowTheHighWatermarkOrTheEpochStart() {
        Map<Integer, ReplicaProgress.FollowerState> followers = Map.of(2, follower(70, 0));
        assertTrue(decide(new LeaderView(state(List.of(1, 2), List.of(1)), 80, 100, 0, followers, false),
                1_000).isEmpty());
        assertTrue(decide(new LeaderView(state(List.of(1, 2), List.of(1)), 60, 100, 75, followers, false),
                1_000).isEmpty());
        assertEquals(List.of(1, 2), decide(new LeaderView(state(List.of(1, 2), List.of(1)), 60, 100, 70,
                followers, false), 1_000).orElseThrow().newIsr());
    }

    @Test
    void doesNotExpandAnIneligibleBrokerOrAnUnknownOffset() {
        LeaderView view = new LeaderView(state(List.of(1, 2, 3), List.of(1)), 0, 100, 0,
                Map.of(2, follower(100, 0), 3, follower(ReplicaProgress.UNKNOWN, 0)), false);
        assertTrue(IsrDecision.decide(view, 1, 1_000, LAG_MS, id -> id != 2).isEmpty());
    }

    @Test
    void proposesNothingWhileAChangeIsInFlight() {
        LeaderView view = new LeaderView(state(List.of(1, 2), List.of(1, 2)), 0, 100, 0,
                Map.of(2, follower(0, 0)), true);
        assertTrue(decide(view, 1_000_000).isEmpty());
    }
}

package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaProgressTest {
    private final ReplicaProgress progress = new ReplicaProgress();

    @Test
    void resetCountsIsrMembersCaughtUpNowAndForgetsOffsets() {
        progress.reset(List.of(2, 3), List.of(1, 2), 1_000);
        assertEquals(1_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
        assertEquals(0, progress.snapshot().get(3).lastCaughtUpTimeMs());
        assertEquals(ReplicaProgress.UNKNOWN, progress.logEndOffset(2));
        assertEquals(ReplicaProgress.UNKNOWN, progress.logEndOffset(3));
    }

    @Test
    void fetchAtTheLeaderLogEndIsCaughtUpAtTheFetchTime() {
        progress.reset(List.of(2), List.of(1, 2), 0);
        progress.recordFetch(2, 100, 0, 100, 5_000);
        assertEquals(5_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
        assertEquals(100, progress.logEndOffset(2));
    }

    @Test
    void fetchReachingThePreviousLeaderLogEndIsCaughtUpAsOfThePreviousFetch() {
        progress.reset(List.of(2), List.of(1, 2), 0);
        progress.recordFetch(2, 50, 0, 100, 1_000); // behind: leader at 100
        assertEquals(0, progress.snapshot().get(2).lastCaughtUpTimeMs());
        progress.recordFetch(2, 100, 0, 150, 2_000); // reached where the leader was at its last fetch
        assertEquals(1_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
        progress.recordFetch(2, 120, 0, 200, 3_000); // behind both 200 and the previous 150
        assertEquals(1_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
    }

    @Test
    void caughtUpTimeNeverMovesBack() {
        progress.reset(List.of(2), List.of(1, 2), 10_000);
        progress.recordFetch(2, 5, 0, 10, 11_000);
        progress.recordFetch(2, 10, 0, 20, 12_000); // caught up as of 11_000 > the reset's 10_000
        assertEquals(11_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
        progress.recordFetch(2, 5, 0, 20, 13_000);
        assertEquals(11_000, progress.snapshot().get(2).lastCaughtUpTimeMs());
    }

    @Test
    void unknownFollowerIsNotRecorded() {
        progress.reset(List.of(2), List.of(1, 2), 0);
        assertFalse(progress.recordFetch(9, 10, 0, 10, 1));
        assertFalse(progress.isFollower(9));
        assertTrue(progress.isFollower(2));
    }

    @Test
    void highWatermarkIsTheLeastLogEndOffsetOfTheIsr() {
        progress.reset(List.of(2, 3), List.of(1, 2, 3), 0);
        assertEquals(ReplicaProgress.UNKNOWN, progress.highWatermarkCandidate(1, 100, List.of(1, 2, 3)));
        progress.recordFetch(2, 80, 0, 100, 1);
        progress.recordFetch(3, 90, 0, 100, 1);
        assertEquals(80, progress.highWatermarkCandidate(1, 100, List.of(1, 2, 3)));
        // A laggard outside the ISR does not hold the high watermark back.
        assertEquals(90, progress.highWatermarkCandidate(1, 100, List.of(1, 3)));
        // Never above the leader's log end offset; a lone leader's is its log end offset.
        progress.recordFetch(3, 100, 0, 100, 2);
        assertEquals(100, progress.highWatermarkCandidate(1, 100, List.of(1, 3)));
        assertEquals(100, progress.highWatermarkCandidate(1, 100, List.of(1)));
    }

    @Test
    void retainForgetsRemovedReplicasAndAddsNewOnes() {
        progress.reset(List.of(2, 3), List.of(1, 2, 3), 0);
        progress.recordFetch(2, 10, 0, 10, 1);
        progress.retain(List.of(2, 4));
        assertEquals(10, progress.logEndOffset(2));
        assertFalse(progress.isFollower(3));
        assertTrue(progress.isFollower(4));
        assertEquals(0, progress.snapshot().get(4).lastCaughtUpTimeMs());
    }
}

package io.millrace.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.server.replication.DivergenceTruncation.Truncation;
import io.millrace.storage.EpochEndOffset;
import org.junit.jupiter.api.Test;

class DivergenceTruncationTest {

    @Test
    void sameEpochOnBothSidesTruncatesWhereTheShorterCopyEnds() {
        // Follower wrote epoch 3 up to 120, the leader's epoch 3 ends at 100.
        assertEquals(new Truncation(100, true),
                DivergenceTruncation.of(new EpochEndOffset(3, 100), new EpochEndOffset(3, 120), 120));
        // The follower's copy of epoch 3 is the shorter one (it went on with epoch 4 from 90).
        assertEquals(new Truncation(90, true),
                DivergenceTruncation.of(new EpochEndOffset(3, 100), new EpochEndOffset(3, 90), 130));
    }

    @Test
    void followerWithoutTheLeadersEpochTruncatesToTheEndOfItsOlderEpochAndAsksAgain() {
        // Leader: epoch 2 ends at 80. Follower: no epoch 2; epoch 1 ends at 50, then epoch 3 to 100.
        assertEquals(new Truncation(50, false),
                DivergenceTruncation.of(new EpochEndOffset(2, 80), new EpochEndOffset(1, 50), 100));
        // Even when the leader's epoch ends below the follower's older epoch end (the next fetch fixes it).
        assertEquals(new Truncation(50, false),
                DivergenceTruncation.of(new EpochEndOffset(2, 40), new EpochEndOffset(1, 50), 100));
    }

    @Test
    void followerWithNoEpochAtOrBelowTrustsTheLeadersEndOffset() {
        assertEquals(new Truncation(70, true),
                DivergenceTruncation.of(new EpochEndOffset(4, 70), EpochEndOffset.UNDEFINED, 100));
    }

    @Test
    void neverAboveTheLogEnd() {
        assertEquals(new Truncation(60, true),
                DivergenceTruncation.of(new EpochEndOffset(4, 70), EpochEndOffset.UNDEFINED, 60));
        assertEquals(new Truncation(60, true),
                DivergenceTruncation.of(new EpochEndOffset(3, 100), new EpochEndOffset(3, 120), 60));
        assertEquals(new Truncation(60, false),
                DivergenceTruncation.of(new EpochEndOffset(3, 100), new EpochEndOffset(2, 80), 60));
    }
}

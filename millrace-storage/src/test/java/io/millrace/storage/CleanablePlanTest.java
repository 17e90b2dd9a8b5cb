package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CleanablePlanTest {
    private static final long NOW = 1_000_000_000L;
    private static final long HOUR = 3_600_000L;

    /** Four sealed segments of 100 bytes at offsets 0, 10, 20, 30 (timestamps an hour old) and an active one. */
    private static List<CleanablePlan.SegmentView> segments(long... largestTimestamps) {
        return List.of(
                new CleanablePlan.SegmentView(0, 10, 100, largestTimestamps[0], largestTimestamps[0] - 5),
                new CleanablePlan.SegmentView(10, 20, 100, largestTimestamps[1], largestTimestamps[1] - 5),
                new CleanablePlan.SegmentView(20, 30, 100, largestTimestamps[2], largestTimestamps[2] - 5),
                new CleanablePlan.SegmentView(30, 40, 100, largestTimestamps[3], largestTimestamps[3] - 5),
                new CleanablePlan.SegmentView(40, 45, 50, NOW, NOW));
    }

    private static LogConfig config(double ratio, long minLag, long maxLag) {
        return TestConfigs.defaults().compaction(false, HOUR, ratio, minLag, maxLag).build();
    }

    private static final long OLD = NOW - HOUR;

    @Test
    void theDirtyPartRunsFromTheCheckpointToTheActiveSegment() {
        CleanablePlan plan = CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(20, -1), 0, 45,
                config(0.5, 0, Long.MAX_VALUE), NOW);
        assertEquals(20, plan.firstDirtyOffset());
        assertEquals(40, plan.firstUncleanableOffset());
        assertEquals(200, plan.cleanBytes());
        assertEquals(200, plan.dirtyBytes());
        assertEquals(0.5, plan.dirtyRatio());
        assertTrue(plan.needsCleaning(config(0.5, 0, Long.MAX_VALUE)));
        assertFalse(plan.needsCleaning(config(0.51, 0, Long.MAX_VALUE)));
    }

    @Test
    void aCheckpointOutsideTheLogMeansEverythingIsDirty() {
        LogConfig config = config(0.5, 0, Long.MAX_VALUE);
        assertEquals(10, CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(5, -1), 10, 45,
                config, NOW).firstDirtyOffset(), "below the log start");
        assertEquals(0, CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(99, -1), 0, 45,
                config, NOW).firstDirtyOffset(), "past the log end (truncated)");
    }

    @Test
    void minCompactionLagAndTheHighWatermarkEndTheCleanablePart() {
        CleanablePlan lagged = CleanablePlan.of(segments(OLD, OLD, NOW - 10, OLD), CleanerCheckpoint.State.NONE, 0, 45,
                config(0.5, 60_000, Long.MAX_VALUE), NOW);
        assertEquals(20, lagged.firstUncleanableOffset(), "everything from the first too-young segment waits");
        assertEquals(200, lagged.dirtyBytes());
        CleanablePlan belowHighWatermark = CleanablePlan.of(segments(OLD, OLD, OLD, OLD), CleanerCheckpoint.State.NONE,
                0, 25, config(0.5, 0, Long.MAX_VALUE), NOW);
        assertEquals(20, belowHighWatermark.firstUncleanableOffset());
    }

    @Test
    void anOldDirtyRecordMakesTheLogOverdue() {
        LogConfig config = config(0.9, 0, HOUR / 2);
        CleanablePlan plan = CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(30, -1), 0, 45,
                config, NOW);
        assertEquals(0.25, plan.dirtyRatio());
        assertTrue(plan.overdue());
        assertTrue(plan.needsCleaning(config));
        assertFalse(CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(30, -1), 0, 45,
                config(0.9, 0, 2 * HOUR), NOW).needsCleaning(config(0.9, 0, 2 * HOUR)));
    }

    @Test
    void aPassedDeleteHorizonIsWorthACleaningEvenWhenNothingIsDirty() {
        LogConfig config = config(0.5, 0, Long.MAX_VALUE);
        CleanablePlan waiting = CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(40, NOW + 1),
                0, 45, config, NOW);
        assertFalse(waiting.needsCleaning(config));
        assertFalse(waiting.deleteHorizonPassed());
        CleanablePlan due = CleanablePlan.of(segments(OLD, OLD, OLD, OLD), new CleanerCheckpoint.State(40, NOW), 0, 45,
                config, NOW);
        assertTrue(due.deleteHorizonPassed());
    }
}

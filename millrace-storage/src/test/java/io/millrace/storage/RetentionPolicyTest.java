package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final long NOW = 1_000_000;

    private static RetentionPolicy.SegmentInfo segment(long base, long next, long size, long timestamp) {
        return new RetentionPolicy.SegmentInfo(base, next, size, timestamp);
    }

    private final List<RetentionPolicy.SegmentInfo> segments = List.of(
            segment(0, 10, 100, NOW - 5_000),
            segment(10, 20, 100, NOW - 3_000),
            segment(20, 30, 100, NOW - 1_000),
            segment(30, 35, 50, NOW));

    @Test
    void timeRetentionDeletesSegmentsWhoseNewestRecordIsTooOld() {
        LogConfig config = TestConfigs.defaults().retention(2_000, -1).build();
        RetentionPolicy.Decision decision = RetentionPolicy.decide(segments, config, NOW, 0);
        assertEquals(2, decision.count());
        assertEquals(RetentionPolicy.Reason.RETENTION_MS, decision.reason());
    }

    @Test
    void sizeRetentionKeepsAtLeastRetentionBytes() {
        LogConfig config = TestConfigs.defaults().retention(-1, 150).build();
        assertEquals(2, RetentionPolicy.decide(segments, config, NOW, 0).count()); // 350 -> 150
        config = TestConfigs.defaults().retention(-1, 151).build();
        assertEquals(1, RetentionPolicy.decide(segments, config, NOW, 0).count()); // 350 -> 250
        config = TestConfigs.defaults().retention(-1, 0).build();
        assertEquals(4, RetentionPolicy.decide(segments, config, NOW, 0).count());
    }

    @Test
    void theActiveSegmentCountsWhenNonEmptyButNeverWhenEmpty() {
        LogConfig config = TestConfigs.defaults().retention(0, -1).build();
        assertEquals(4, RetentionPolicy.decide(segments, config, NOW + 1, 0).count());
        List<RetentionPolicy.SegmentInfo> withEmptyActive = List.of(segment(0, 10, 100, NOW - 5_000),
                segment(10, 10, 0, -1));
        assertEquals(1, RetentionPolicy.decide(withEmptyActive, config, NOW, 0).count());
    }

    @Test
    void segmentsBelowTheLogStartOffsetGoWhateverThePolicy() {
        LogConfig compactOnly = TestConfigs.defaults().cleanup(false, true).retention(0, 0).build();
        assertEquals(0, RetentionPolicy.decide(segments, compactOnly, NOW, 9).count());
        assertEquals(1, RetentionPolicy.decide(segments, compactOnly, NOW, 15).count());
        RetentionPolicy.Decision decision = RetentionPolicy.decide(segments, compactOnly, NOW, 20);
        assertEquals(2, decision.count());
        assertEquals(RetentionPolicy.Reason.LOG_START_OFFSET, decision.reason());
    }

    @Test
    void withoutTheDeletePolicyNothingExpires() {
        LogConfig config = TestConfigs.defaults().cleanup(false, true).retention(0, 0).build();
        assertEquals(0, RetentionPolicy.decide(segments, config, NOW, 0).count());
    }
}

package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlushTrackerTest {

    @Test
    void dueAfterFlushMessagesUnflushedOffsets() {
        LogConfig config = TestConfigs.defaults().flush(10, Long.MAX_VALUE).build();
        FlushTracker tracker = new FlushTracker(100);
        tracker.onAppend(0);
        assertFalse(tracker.isDue(109, config, 0));
        assertTrue(tracker.isDue(110, config, 0));
        tracker.onFlushed(110, 110, 0);
        assertFalse(tracker.isDue(110, config, 0));
    }

    @Test
    void dueWhenTheOldestUnflushedAppendIsFlushMsOld() {
        LogConfig config = TestConfigs.defaults().flush(Long.MAX_VALUE, 1_000).build();
        FlushTracker tracker = new FlushTracker(0);
        assertFalse(tracker.isDue(0, config, 5_000));
        tracker.onAppend(5_000);
        tracker.onAppend(5_900); // not the oldest
        assertFalse(tracker.isDue(3, config, 5_999));
        assertTrue(tracker.isDue(3, config, 6_000));
        tracker.onFlushed(2, 3, 6_000); // one offset appended during the flush stays unflushed
        assertFalse(tracker.isDue(3, config, 6_999));
        assertTrue(tracker.isDue(3, config, 7_000));
    }
}

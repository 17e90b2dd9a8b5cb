package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {
    @TempDir
    Path dir;

    @Test
    void keepsOnlyIncreasingTimestampsAndLooksUpTheFloor() throws Exception {
        TimeIndex index = TimeIndex.open(dir.resolve("a.timeindex"), 500, 1200);
        assertEquals(500, index.lookupOffset(1_000));
        assertEquals(-1, index.lastTimestamp());
        index.maybeAppend(1_000, 510);
        index.maybeAppend(900, 520);   // not larger: ignored
        index.maybeAppend(1_000, 530); // not larger: ignored
        index.maybeAppend(2_000, 540);
        index.maybeAppend(-1, 550);    // no timestamp: ignored
        assertEquals(2, index.entries());
        assertEquals(500, index.lookupOffset(999));
        assertEquals(510, index.lookupOffset(1_000));
        assertEquals(510, index.lookupOffset(1_999));
        assertEquals(540, index.lookupOffset(2_000));
        assertEquals(540, index.lookupOffset(Long.MAX_VALUE));
        assertEquals(2_000, index.lastTimestamp());
        assertEquals(540, index.lastOffset());
    }

    @Test
    void keepsTheLastSlotForTheFinalEntry() throws Exception {
        TimeIndex index = TimeIndex.open(dir.resolve("b.timeindex"), 0, 36);
        index.maybeAppend(1, 1);
        index.maybeAppend(2, 2);
        assertTrue(index.isFull());
        index.maybeAppend(3, 3);
        assertEquals(2, index.entries());
        index.maybeAppendFinal(3, 3);
        assertEquals(3, index.entries());
        assertEquals(3, index.lastTimestamp());
    }

    @Test
    void consistencyCheckCatchesOffsetsPastTheSegment() throws Exception {
        TimeIndex index = TimeIndex.open(dir.resolve("c.timeindex"), 100, 120);
        index.maybeAppend(10, 105);
        index.maybeAppend(20, 150);
        index.file().trim();
        assertTrue(index.isConsistentWith(151));
        assertFalse(index.isConsistentWith(150));
    }
}

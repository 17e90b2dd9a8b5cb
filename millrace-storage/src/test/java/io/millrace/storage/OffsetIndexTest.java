package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {
    @TempDir
    Path dir;

    @Test
    void looksUpTheLastEntryAtOrBeforeAnOffset() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), 1000, 1024);
        assertEquals(0, index.lookupPosition(1500));
        index.append(1010, 100);
        index.append(1020, 200);
        index.append(1030, 300);
        assertEquals(0, index.lookupPosition(1000));
        assertEquals(0, index.lookupPosition(1009));
        assertEquals(100, index.lookupPosition(1010));
        assertEquals(100, index.lookupPosition(1019));
        assertEquals(200, index.lookupPosition(1025));
        assertEquals(300, index.lookupPosition(1030));
        assertEquals(300, index.lookupPosition(Long.MAX_VALUE));
        assertEquals(0, index.lookupPosition(5));
        assertEquals(1030, index.lastOffset());
    }

    @Test
    void findsTheLastEntryBelowAnOffsetAndWithinAPosition() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("e.index"), 1000, 1024);
        assertEquals(0, index.lastPositionBelow(2000, 10_000), "empty");
        index.append(1010, 100);
        index.append(1020, 200);
        index.append(1030, 300);
        assertEquals(300, index.lastPositionBelow(Long.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(300, index.lastPositionBelow(1031, 300));
        assertEquals(200, index.lastPositionBelow(1030, 10_000), "a batch starting at the limit offset is excluded");
        assertEquals(200, index.lastPositionBelow(1031, 299), "the position bound is inclusive");
        assertEquals(200, index.lastPositionBelow(1021, 250));
        assertEquals(100, index.lastPositionBelow(1021, 150));
        assertEquals(0, index.lastPositionBelow(1010, 10_000));
        assertEquals(0, index.lastPositionBelow(1031, 99));
        assertEquals(0, index.lastPositionBelow(999, 10_000), "below the base offset");
    }

    @Test
    void binarySearchFindsEveryEntryOfALargeIndex() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("b.index"), 0, 8 * 10_000);
        for (int i = 1; i <= 9_999; i++) {
            index.append(i * 10L, i * 100);
        }
        for (int i = 1; i <= 9_999; i += 7) {
            assertEquals(i * 100, index.lookupPosition(i * 10L + 5));
        }
    }

    @Test
    void rejectsOffsetsThatDoNotIncrease() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("c.index"), 0, 1024);
        index.append(10, 100);
        assertThrows(IllegalStateException.class, () -> index.append(10, 200));
    }

    @Test
    void aFullIndexDropsEntries() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("d.index"), 0, 16);
        index.append(1, 10);
        index.append(2, 20);
        assertTrue(index.isFull());
        index.append(3, 30);
        assertEquals(2, index.entries());
    }

    @Test
    void truncationDropsEntriesAtAndAboveTheOffset() throws Exception {
        OffsetIndex index = OffsetIndex.open(dir.resolve("e.index"), 100, 1024);
        index.append(110, 1);
        index.append(120, 2);
        index.append(130, 3);
        index.truncateTo(120);
        assertEquals(1, index.entries());
        assertEquals(110, index.lastOffset());
        index.truncateTo(100);
        assertEquals(0, index.entries());
    }

    @Test
    void trimmedIndexReopensWithItsEntries() throws Exception {
        Path path = dir.resolve("f.index");
        OffsetIndex index = OffsetIndex.open(path, 0, 1024);
        assertEquals(1024, Files.size(path));
        index.append(5, 50);
        index.append(9, 90);
        index.file().trim();
        assertEquals(16, Files.size(path));
        OffsetIndex reopened = OffsetIndex.open(path, 0, 0);
        assertEquals(2, reopened.entries());
        assertEquals(90, reopened.lookupPosition(100));
        assertTrue(reopened.isConsistentWith(100));
        assertFalse(reopened.isConsistentWith(90));
    }

    @Test
    void anUntrimmedIndexLeftByACrashIsImplausible() throws Exception {
        Path path = dir.resolve("g.index");
        OffsetIndex index = OffsetIndex.open(path, 0, 1024);
        index.append(5, 50);
        index.append(9, 90);
        OffsetIndex reopened = OffsetIndex.open(path, 0, 0);
        assertEquals(128, reopened.entries());
        assertFalse(reopened.isConsistentWith(1000));
    }
}

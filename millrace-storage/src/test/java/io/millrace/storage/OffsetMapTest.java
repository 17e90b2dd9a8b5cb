package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String key) {
        return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(OffsetMap map, String key, long offset) {
        map.put(key(key), 0, key.length(), offset);
    }

    private static long get(OffsetMap map, String key) {
        return map.get(key(key), 0, key.length());
    }

    @Test
    void remembersTheLatestOffsetOfEachKeyAcrossGrowth() {
        OffsetMap map = new OffsetMap(24L * 1024 * 1024, 0.9);
        for (int i = 0; i < 200_000; i++) {
            put(map, "key-" + (i % 50_000), i);
        }
        assertEquals(50_000, map.size());
        for (int k = 0; k < 50_000; k++) {
            assertEquals(150_000 + k, get(map, "key-" + k));
        }
        assertEquals(-1, get(map, "absent"));
        assertEquals(199_999, map.latestOffset());
    }

    @Test
    void keysAreComparedByContentWhereverTheyLie() {
        OffsetMap map = new OffsetMap(1024 * 1024, 0.9);
        ByteBuffer direct = ByteBuffer.allocateDirect(16).put("xxabcxx".getBytes(StandardCharsets.UTF_8)).flip();
        map.put(direct, 2, 3, 42);
        assertEquals(42, get(map, "abc"));
        put(map, "", 7);
        assertEquals(7, get(map, ""), "an empty key is a key");
    }

    @Test
    void holdsNoMoreThanItsMemoryAllowsAndClearsForReuse() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_SLOT * 100, 0.5);
        assertEquals(50, map.maxEntries());
        for (int i = 0; i < 50; i++) {
            assertFalse(map.wouldOverflow(1));
            put(map, "k" + i, i);
        }
        assertTrue(map.wouldOverflow(1));
        put(map, "k3", 99); // an existing key still updates
        assertEquals(99, get(map, "k3"));
        assertThrows(IllegalStateException.class, () -> put(map, "one-too-many", 100));
        map.clear();
        assertEquals(0, map.size());
        assertEquals(-1, get(map, "k3"));
        assertEquals(-1, map.latestOffset());
    }
}

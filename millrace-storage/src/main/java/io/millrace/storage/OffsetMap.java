package io.millrace.storage;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's map from record key to the latest offset seen for it, in bounded memory.
 *
 * <p>Keys are not stored: each is replaced by the first 128 bits of its SHA-256 digest, and two
 * keys with the same 128 bits are taken to be the same key. For random keys the chance that any
 * two of n keys collide is about n²/2¹²⁹ (below 10⁻²³ for a billion keys), and no way is known to
 * craft SHA-256 collisions, so a producer cannot make one key's record delete another's. (Kafka
 * uses MD5 the same way.)
 *
 * <p>Layout: open addressing with linear probing over one {@code long[]}, three longs per slot:
 * digest high 64 bits, digest low 64 bits, offset + 1 (0 marks an empty slot, so a new table
 * needs no fill). 24 bytes per slot. The table starts small and doubles as it fills, up to the
 * slots {@code maxBytes} allows; at most {@code loadFactor} of those slots are used (linear
 * probing slows sharply near a full table). {@link #isFull} tells the cleaner to stop mapping.
 *
 * <p>Not thread-safe: one per cleaner thread, reused from one cleaning to the next.
 */
final class OffsetMap {
    static final int BYTES_PER_SLOT = 24;
    private static final int INITIAL_SLOTS = 1 << 14;

    private final MessageDigest digest;
    private final byte[] digestBytes = new byte[32];
    private final int maxSlots;
    private final int maxEntries;
    private final double loadFactor;
    private long[] table;
    private int slots;
    private int size;
    private long latestOffset = -1;
    private long hi;
    private long lo;

    OffsetMap(long maxBytes, double loadFactor) {
        if (loadFactor <= 0 || loadFactor > 1) {
            throw new IllegalArgumentException("Load factor must be in (0, 1], not " + loadFactor);
        }
        this.maxSlots = (int) Math.min(Integer.MAX_VALUE / 3, Math.max(2, maxBytes / BYTES_PER_SLOT));
        this.loadFactor = loadFactor;
        this.maxEntries = Math.max(1, (int) (maxSlots * loadFactor));
        this.slots = Math.min(INITIAL_SLOTS, maxSlots);
        this.table = new long[slots * 3];
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** How many keys the map can hold at most. */
    int maxEntries() {
        return maxEntries;
    }

    int size() {
        return size;
    }

    /** True when {@code more} more keys might not fit. */
    boolean wouldOverflow(int more) {
        return (long) size + more > maxEntries;
    }

    /** The largest offset put since the last {@link #clear()}, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    /** Empties the map, keeping its table for reuse. */
    void clear() {
        Arrays.fill(table, 0L);
        size = 0;
        latestOffset = -1;
    }

    /**
     * Records {@code offset} as the latest for the key {@code buffer[keyPosition, +keySize)}.
     *
     * @throws IllegalStateException when the map is full (check {@link #wouldOverflow} first)
     */
    void put(ByteBuffer buffer, int keyPosition, int keySize, long offset) {
        hash(buffer, keyPosition, keySize);
        int slot = find();
        int base = slot * 3;
        if (table[base + 2] == 0) {
            if (size >= maxEntries) {
                throw new IllegalStateException("The offset map is full at " + size + " keys");
            }
            if (size + 1 > (long) (slots * loadFactor) && slots < maxSlots) {
                grow();
                base = find() * 3;
            }
            table[base] = hi;
            table[base + 1] = lo;
            size++;
        }
        table[base + 2] = offset + 1;
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset recorded for the key, or -1. */
    long get(ByteBuffer buffer, int keyPosition, int keySize) {
        hash(buffer, keyPosition, keySize);
        return table[find() * 3 + 2] - 1;
    }

    /** The slot holding the current digest, or the empty slot where it would go. */
    private int find() {
        int slot = (int) (((hi >>> 32) * slots) >>> 32);
        while (true) {
            int base = slot * 3;
            if (table[base + 2] == 0 || (table[base] == hi && table[base + 1] == lo)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }

    private void grow() {
        long[] old = table;
        int oldSlots = slots;
        slots = (int) Math.min(maxSlots, (long) slots * 2);
        table = new long[slots * 3];
        long keepHi = hi;
        long keepLo = lo;
        for (int s = 0; s < oldSlots; s++) {
            int base = s * 3;
            if (old[base + 2] != 0) {
                hi = old[base];
                lo = old[base + 1];
                int to = find() * 3;
                table[to] = hi;
                table[to + 1] = lo;
                table[to + 2] = old[base + 2];
            }
        }
        hi = keepHi;
        lo = keepLo;
    }

    private void hash(ByteBuffer buffer, int position, int length) {
        if (buffer.hasArray()) {
            digest.update(buffer.array(), buffer.arrayOffset() + position, length);
        } else {
            digest.update(buffer.duplicate().limit(position + length).position(position));
        }
        try {
            digest.digest(digestBytes, 0, digestBytes.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        hi = readLong(0);
        lo = readLong(8);
    }

    private long readLong(int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (digestBytes[i] & 0xffL);
        }
        return v;
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment ({@code <baseOffset>.timeindex}): for a timestamp, from
 * which batch to start looking for the first record at or after it.
 *
 * <p>On-disk format: a sequence of 12-byte entries, big-endian, no header: 8-byte timestamp,
 * 4-byte offset relative to the segment's base offset. Entry (t, o) says: t is the largest
 * timestamp in the segment up to some point, and the batch starting at o is the first to hold
 * a record with timestamp t, so every batch before o holds only smaller timestamps. Timestamps
 * strictly increase from entry to entry, offsets never decrease. An entry is added with each
 * offset-index entry when the largest timestamp grew, and a final one when the segment rolls
 * or closes, so the last entry is the segment's largest timestamp.
 *
 * <p>One slot is kept free for that final entry: {@link #isFull()} is true one entry early.
 *
 * <p>Thread-safety: as {@link MappedIndexFile}: one appender, concurrent lookups.
 */
final class TimeIndex {
    static final int ENTRY_SIZE = 12;
    private static final MappedIndexFile.KeyReader TIMESTAMP = (mmap, n) -> mmap.getLong(n * ENTRY_SIZE);

    private final long baseOffset;
    private final MappedIndexFile file;

    private TimeIndex(long baseOffset, MappedIndexFile file) {
        this.baseOffset = baseOffset;
        this.file = file;
    }

    /** See {@link MappedIndexFile#open}: {@code maxBytes} 0 keeps the file's length. */
    static TimeIndex open(Path path, long baseOffset, int maxBytes) throws IOException {
        return new TimeIndex(baseOffset, MappedIndexFile.open(path, ENTRY_SIZE, maxBytes));
    }

    MappedIndexFile file() {
        return file;
    }

    int entries() {
        return file.entries();
    }

    boolean isFull() {
        return file.entries() >= file.maxEntries() - 1;
    }

    /** Adds (timestamp, offset) if the timestamp is above the last entry's. */
    void maybeAppend(long timestamp, long offset) {
        maybeAppend(timestamp, offset, false);
    }

    /** As {@link #maybeAppend(long, long)}, allowed to take the slot kept for the final entry. */
    void maybeAppendFinal(long timestamp, long offset) {
        maybeAppend(timestamp, offset, true);
    }

    private void maybeAppend(long timestamp, long offset, boolean useReservedSlot) {
        if (timestamp < 0) {
            return;
        }
        int n = file.entries();
        if (n > 0 && timestamp <= lastTimestamp()) {
            return;
        }
        if (n > 0 && offset < lastOffset()) {
            throw new IllegalStateException("Offset " + offset + " is below the last time-indexed " + lastOffset());
        }
        if (n >= file.maxEntries() || (!useReservedSlot && isFull())) {
            return;
        }
        int slot = file.nextSlot();
        MappedByteBuffer mmap = file.mmap();
        mmap.putLong(slot, timestamp);
        mmap.putInt(slot + 8, Math.toIntExact(offset - baseOffset));
        file.commitEntry();
    }

    /**
     * The offset of the batch to start scanning from for the first record at or after
     * {@code timestamp}: the entry with the largest timestamp at or below it, else the base offset.
     */
    long lookupOffset(long timestamp) {
        int n = file.floorEntry(timestamp, TIMESTAMP);
        return n < 0 ? baseOffset : baseOffset + file.mmap().getInt(n * ENTRY_SIZE + 8);
    }

    /** The last entry's timestamp, or -1 when empty. */
    long lastTimestamp() {
        int n = file.entries();
        return n == 0 ? -1 : file.mmap().getLong((n - 1) * ENTRY_SIZE);
    }

    /** The last entry's offset, or the base offset when empty. */
    long lastOffset() {
        int n = file.entries();
        return n == 0 ? baseOffset : baseOffset + file.mmap().getInt((n - 1) * ENTRY_SIZE + 8);
    }

    void reset() {
        file.truncateToEntries(0);
    }

    /**
     * True when the first and the last two entries have strictly increasing timestamps,
     * non-decreasing offsets, all below {@code nextOffset} (the segment's end). Samples like
     * {@link OffsetIndex#isConsistentWith}.
     */
    boolean isConsistentWith(long nextOffset) {
        int n = file.entries();
        MappedByteBuffer mmap = file.mmap();
        int[] sample = n <= 3 ? java.util.stream.IntStream.range(0, n).toArray() : new int[] {0, n - 2, n - 1};
        long lastTimestamp = -1;
        int lastRelative = 0;
        for (int e : sample) {
            long timestamp = mmap.getLong(e * ENTRY_SIZE);
            int relative = mmap.getInt(e * ENTRY_SIZE + 8);
            if (timestamp <= lastTimestamp || relative < lastRelative || baseOffset + relative >= nextOffset) {
                return false;
            }
            lastTimestamp = timestamp;
            lastRelative = relative;
        }
        return true;
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code <baseOffset>.index}): which file position holds
 * the batch starting at an offset. One entry is added every {@code index.interval.bytes} of
 * appended data.
 *
 * <p>On-disk format: a sequence of 8-byte entries, big-endian, no header: 4-byte offset relative
 * to the segment's base offset (the batch's base offset), 4-byte byte position of that batch in
 * the {@code .log} file. Both fields strictly increase from entry to entry.
 *
 * <p>Thread-safety: as {@link MappedIndexFile}: one appender, concurrent lookups.
 */
final class OffsetIndex {
    static final int ENTRY_SIZE = 8;
    private static final MappedIndexFile.KeyReader RELATIVE_OFFSET = (mmap, n) -> mmap.getInt(n * ENTRY_SIZE);

    private static final MappedIndexFile.KeyReader POSITION = (mmap, n) -> mmap.getInt(n * ENTRY_SIZE + 4);

    private final long baseOffset;
    private final MappedIndexFile file;

    private OffsetIndex(long baseOffset, MappedIndexFile file) {
        this.baseOffset = baseOffset;
        this.file = file;
    }

    /** See {@link MappedIndexFile#open}: {@code maxBytes} 0 keeps the file's length. */
    static OffsetIndex open(Path path, long baseOffset, int maxBytes) throws IOException {
        return new OffsetIndex(baseOffset, MappedIndexFile.open(path, ENTRY_SIZE, maxBytes));
    }

    MappedIndexFile file() {
        return file;
    }

    int entries() {
        return file.entries();
    }

    boolean isFull() {
        return file.entries() >= file.maxEntries();
    }

    /**
     * Records that the batch starting at {@code offset} is at {@code position}. A full index
     * drops the entry (the segment rolls before its next append; lookups just scan further).
     */
    void append(long offset, int position) {
        int n = file.entries();
        if (isFull()) {
            return;
        }
        if (n > 0) {
            MappedByteBuffer mmap = file.mmap();
            long lastOffset = baseOffset + mmap.getInt((n - 1) * ENTRY_SIZE);
            if (offset <= lastOffset) {
                throw new IllegalStateException("Offset " + offset + " is not above the last indexed " + lastOffset);
            }
        }
        int slot = file.nextSlot();
        MappedByteBuffer mmap = file.mmap();
        mmap.putInt(slot, Math.toIntExact(offset - baseOffset));
        mmap.putInt(slot + 4, position);
        file.commitEntry();
    }

    /**
     * The file position to start scanning from for {@code offset}: that of the last indexed
     * batch starting at or before it, or 0.
     */
    int lookupPosition(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0) {
            return 0;
        }
        int n = file.floorEntry(Math.min(relative, Integer.MAX_VALUE), RELATIVE_OFFSET);
        return n < 0 ? 0 : file.mmap().getInt(n * ENTRY_SIZE + 4);
    }

    /**
     * The position of the last indexed batch that starts below {@code offsetExclusive} at or
     * before {@code positionAtMost}, or 0 when none does. Every batch before it starts below
     * that offset and ends by that position, as both fields increase from entry to entry.
     */
    int lastPositionBelow(long offsetExclusive, long positionAtMost) {
        long relative = offsetExclusive - baseOffset;
        if (relative <= 0 || positionAtMost < 0) {
            return 0;
        }
        int byOffset = file.floorEntry(Math.min(relative - 1, Integer.MAX_VALUE), RELATIVE_OFFSET);
        int byPosition = file.floorEntry(Math.min(positionAtMost, Integer.MAX_VALUE), POSITION);
        int n = Math.min(byOffset, byPosition);
        return n < 0 ? 0 : file.mmap().getInt(n * ENTRY_SIZE + 4);
    }

    /** The offset of the last entry, or the base offset when empty. */
    long lastOffset() {
        int n = file.entries();
        return n == 0 ? baseOffset : baseOffset + file.mmap().getInt((n - 1) * ENTRY_SIZE);
    }

    /** The position of the last entry, or 0 when empty. */
    int lastPosition() {
        int n = file.entries();
        return n == 0 ? 0 : file.mmap().getInt((n - 1) * ENTRY_SIZE + 4);
    }

    /** Drops every entry for offsets at or above {@code offset}. */
    void truncateTo(long offset) {
        long relative = offset - baseOffset;
        int n = relative <= 0 ? -1 : file.floorEntry(relative - 1, RELATIVE_OFFSET);
        file.truncateToEntries(n + 1);
    }

    void reset() {
        file.truncateToEntries(0);
    }

    /**
     * True when the entries look plausible for a log file of {@code logSize} bytes: the first
     * and the last two entries have strictly increasing offsets and positions inside the file.
     * Like Kafka this samples rather than reading every entry, so opening many segments stays
     * cheap; a preallocated index left behind by a crash fails it (its zero padding repeats).
     */
    boolean isConsistentWith(long logSize) {
        int n = file.entries();
        MappedByteBuffer mmap = file.mmap();
        int[] sample = n <= 3 ? java.util.stream.IntStream.range(0, n).toArray() : new int[] {0, n - 2, n - 1};
        int lastRelative = -1;
        int lastPosition = -1;
        for (int e : sample) {
            int relative = mmap.getInt(e * ENTRY_SIZE);
            int position = mmap.getInt(e * ENTRY_SIZE + 4);
            if (relative <= lastRelative || position <= lastPosition || position >= logSize) {
                return false;
            }
            lastRelative = relative;
            lastPosition = position;
        }
        return true;
    }
}

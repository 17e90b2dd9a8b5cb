package io.millrace.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file of fixed-size entries kept memory-mapped, the storage under {@link OffsetIndex} and
 * {@link TimeIndex}. The file is preallocated to hold {@link #maxEntries()} entries while its
 * segment is active and trimmed to exactly {@link #entries()} entries when the segment rolls or
 * the log closes, so a cleanly closed index's length tells how many entries it has.
 *
 * <p>Thread-safety: one writer at a time (the owning log's append lock), any number of
 * concurrent readers. Entries are written before the volatile entry count is raised, so a
 * reader that sees the count sees the entries. The mapping is never unmapped explicitly: a
 * reader still holding an older mapping after a resize reads valid memory.
 */
final class MappedIndexFile {

    /** Reads the search key (offset or timestamp) of entry {@code n}. */
    @FunctionalInterface
    interface KeyReader {
        long keyAt(MappedByteBuffer mmap, int n);
    }

    private volatile Path path;
    private final int entrySize;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    private MappedIndexFile(Path path, int entrySize) {
        this.path = path;
        this.entrySize = entrySize;
    }

    /**
     * Opens (creating if absent) the index at {@code path}. Existing entries are taken from the
     * file's length; when {@code maxBytes} is positive the file is then resized to hold that
     * many bytes of entries (the active segment), otherwise it is kept as it is.
     */
    static MappedIndexFile open(Path path, int entrySize, int maxBytes) throws IOException {
        MappedIndexFile index = new MappedIndexFile(path, entrySize);
        long length = Files.exists(path) ? Files.size(path) : 0;
        index.entries = (int) Math.min(Integer.MAX_VALUE, length / entrySize);
        index.remap(maxBytes > 0 ? Math.max(roundDown(maxBytes, entrySize), index.entries * entrySize)
                : index.entries * entrySize);
        return index;
    }

    private static int roundDown(int bytes, int entrySize) {
        return bytes / entrySize * entrySize;
    }

    private void remap(int lengthBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (channel.size() != lengthBytes) {
                if (channel.size() > lengthBytes) {
                    channel.truncate(lengthBytes);
                } else {
                    // Extending writes the last byte; the hole reads as zeros.
                    channel.write(java.nio.ByteBuffer.allocate(1), lengthBytes - 1L);
                }
            }
            mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, lengthBytes);
        }
        maxEntries = lengthBytes / entrySize;
    }

    Path path() {
        return path;
    }

    int entrySize() {
        return entrySize;
    }

    int entries() {
        return entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** The current mapping; read entries below {@link #entries()} read before it. */
    MappedByteBuffer mmap() {
        return mmap;
    }

    /** Absolute byte position of the next entry to write. */
    int nextSlot() {
        if (entries >= maxEntries) {
            throw new IllegalStateException("Index " + path + " is full at " + entries + " entries");
        }
        return entries * entrySize;
    }

    /** Publishes the entry just written at {@link #nextSlot()}. */
    void commitEntry() {
        entries = entries + 1;
    }

    void truncateToEntries(int count) {
        if (count < 0 || count > entries) {
            throw new IllegalArgumentException("Cannot truncate " + path + " to " + count + " of " + entries);
        }
        entries = count;
    }

    /**
     * Entry index of the last entry whose key is at or below {@code target}, or -1 when every
     * key is above it (or there are no entries).
     */
    int floorEntry(long target, KeyReader keys) {
        MappedByteBuffer buffer = mmap;
        int hi = Math.min(entries, buffer.limit() / entrySize) - 1;
        if (hi < 0 || keys.keyAt(buffer, 0) > target) {
            return -1;
        }
        int lo = 0;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keys.keyAt(buffer, mid) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Resizes the file to hold {@code maxBytes} of entries (never below the entries held). */
    void resize(int maxBytes) throws IOException {
        remap(Math.max(roundDown(maxBytes, entrySize), entries * entrySize));
    }

    /** Shrinks the file to exactly the entries held. */
    void trim() throws IOException {
        remap(entries * entrySize);
    }

    void flush() {
        mmap.force();
    }

    long sizeInBytes() {
        return (long) entries * entrySize;
    }

    /** Renames the file (the mapping stays valid); later resizes and deletion use the new name. */
    void moveTo(Path target) throws IOException {
        Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        path = target;
    }

    void deleteFile() throws IOException {
        Files.deleteIfExists(path);
    }
}

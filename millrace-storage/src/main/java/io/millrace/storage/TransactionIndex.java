package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment's aborted-transaction index ({@code <baseOffset>.txnindex}): every transaction whose
 * ABORT marker is in the segment, in marker order. A read_committed fetch collects the entries
 * overlapping what it returns, so consumers can drop those producers' records; the log cleaner
 * drops aborted records with it.
 *
 * <p>On-disk format: Kafka's, 34-byte entries, big-endian, no header:
 * <pre>
 * int16 version (0)  int64 producerId  int64 firstOffset  int64 lastOffset  int64 lastStableOffset
 * </pre>
 * The file is created with the first entry (most segments have none). A torn last entry (a crash
 * mid-write) is cut when the file is opened; entries past the recovered log are cut and rebuilt
 * from the control batches by {@link ProducerStateManager#load}.
 *
 * <p>Thread-safety: changed under the log's append lock; {@link #entries} may be read by any
 * thread (an immutable list, replaced on each change).
 */
final class TransactionIndex {
    static final short VERSION = 0;
    static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;

    private volatile Path file;
    private FileChannel channel;
    private volatile List<AbortedTransaction> entries;

    private TransactionIndex(Path file, List<AbortedTransaction> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** A new, empty index at {@code file}, deleting a stale file of that name. */
    static TransactionIndex create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return new TransactionIndex(file, List.of());
    }

    /** The index in {@code file}, empty when there is no such file; a torn last entry is cut. */
    static TransactionIndex open(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TransactionIndex(file, List.of());
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<AbortedTransaction> read = new ArrayList<>();
        while (buffer.remaining() >= ENTRY_SIZE) {
            short version = buffer.getShort();
            AbortedTransaction entry = new AbortedTransaction(buffer.getLong(), buffer.getLong(), buffer.getLong(),
                    buffer.getLong());
            if (version != VERSION) {
                break;
            }
            read.add(entry);
        }
        TransactionIndex index = new TransactionIndex(file, List.copyOf(read));
        if (read.size() * ENTRY_SIZE != bytes.length) {
            index.rewrite();
        }
        return index;
    }

    /** The entries, in marker order. */
    List<AbortedTransaction> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    void append(AbortedTransaction entry) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(ENTRY_SIZE);
        put(bytes, entry);
        bytes.flip();
        FileChannel out = channel();
        long position = (long) entries.size() * ENTRY_SIZE;
        while (bytes.hasRemaining()) {
            position += out.write(bytes, position);
        }
        List<AbortedTransaction> next = new ArrayList<>(entries);
        next.add(entry);
        entries = List.copyOf(next);
    }

    /** Removes the entries whose marker is at or after {@code offset}. */
    void truncateTo(long offset) throws IOException {
        List<AbortedTransaction> kept = entries.stream().filter(e -> e.lastOffset() < offset).toList();
        if (kept.size() != entries.size()) {
            entries = kept;
            rewrite();
        }
    }

    /**
     * Adds to {@code out} the transactions that overlap [fetchOffset, upperBoundOffset): those
     * aborted at or after fetchOffset that began before upperBoundOffset. Returns true when no
     * later segment can hold more (an entry's lastStableOffset reached upperBoundOffset).
     */
    boolean collect(long fetchOffset, long upperBoundOffset, List<AbortedTransaction> out) {
        for (AbortedTransaction entry : entries) {
            if (entry.lastOffset() >= fetchOffset && entry.firstOffset() < upperBoundOffset) {
                out.add(entry);
            }
            if (entry.lastStableOffset() >= upperBoundOffset) {
                return true;
            }
        }
        return false;
    }

    /** Moves the file (if it exists) to {@code target}; later entries go there. */
    void moveTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    void deleteFile() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** Writes the entries as the whole file (none: no file). */
    private void rewrite() throws IOException {
        List<AbortedTransaction> current = entries;
        if (current.isEmpty()) {
            close();
            channel = null;
            Files.deleteIfExists(file);
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(current.size() * ENTRY_SIZE);
        current.forEach(e -> put(bytes, e));
        bytes.flip();
        FileChannel out = channel();
        out.truncate(0);
        long position = 0;
        while (bytes.hasRemaining()) {
            position += out.write(bytes, position);
        }
    }

    private static void put(ByteBuffer bytes, AbortedTransaction entry) {
        bytes.putShort(VERSION).putLong(entry.producerId()).putLong(entry.firstOffset()).putLong(entry.lastOffset())
                .putLong(entry.lastStableOffset());
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Reads and writes producer-state snapshots: {@code <offset>.snapshot} holds the state of
 * every idempotent producer after all batches below {@code offset}. Written at segment roll and
 * on close; on open the newest one at or below the log end is loaded and the batches after it
 * are replayed.
 *
 * <p>On-disk format (big-endian), version 2:
 * <pre>
 * int32 magic 0x4D525053 ("MRPS")   int16 version (2)   uint32 CRC-32C of every byte after it
 * int32 producer count, then per producer:
 *   int64 producerId  int16 epoch  int32 coordinatorEpoch (-1: none)
 *   int64 ongoingTxnFirstOffset (-1: no open transaction)  int8 batch count (0-5), then per
 *   batch, oldest first:
 *     int32 firstSeq  int32 lastSeq  int64 firstOffset  int64 lastOffset  int64 timestamp
 * </pre>
 * Version 1 (before transactions) lacks the two transaction fields; it still loads, as producers
 * with no open transaction.
 * Files are written to a temporary name, fsynced and renamed into place, so a crash leaves
 * either the old set of snapshots or the new one.
 *
 * <p>Stateless; callers serialise writes to one directory (the log's append lock).
 */
final class ProducerStateSnapshotFile {
    static final int MAGIC = 0x4D525053;
    static final short VERSION = 2;
    static final short VERSION_WITHOUT_TRANSACTIONS = 1;
    private static final int HEADER_SIZE = 4 + 2 + 4;
    private static final int PRODUCER_SIZE = 8 + 2 + 4 + 8 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 8 + 8;

    private ProducerStateSnapshotFile() {
    }

    static void write(Path file, Collection<ProducerEntry> producers) throws IOException {
        int size = HEADER_SIZE + 4;
        List<List<ProducerBatch>> batchLists = new ArrayList<>(producers.size());
        for (ProducerEntry entry : producers) {
            List<ProducerBatch> batches = entry.batches();
            batchLists.add(batches);
            size += PRODUCER_SIZE + batches.size() * BATCH_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).putShort(VERSION).putInt(0).putInt(producers.size());
        int i = 0;
        for (ProducerEntry entry : producers) {
            List<ProducerBatch> batches = batchLists.get(i++);
            buffer.putLong(entry.producerId()).putShort(entry.epoch()).putInt(entry.coordinatorEpoch())
                    .putLong(entry.ongoingTxnFirstOffset()).put((byte) batches.size());
            for (ProducerBatch batch : batches) {
                buffer.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                        .putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        buffer.putInt(6, (int) crcOf(buffer.array(), HEADER_SIZE, size - HEADER_SIZE));
        buffer.flip();

        Path tmp = file.resolveSibling(file.getFileName() + SegmentFiles.TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The producers in {@code file}, or empty when it is not a complete, intact snapshot. */
    static Optional<List<ProducerEntry>> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            if (buffer.getInt() != MAGIC) {
                return Optional.empty();
            }
            short version = buffer.getShort();
            if (version != VERSION && version != VERSION_WITHOUT_TRANSACTIONS) {
                return Optional.empty();
            }
            long storedCrc = Integer.toUnsignedLong(buffer.getInt());
            if (storedCrc != crcOf(bytes, HEADER_SIZE, bytes.length - HEADER_SIZE)) {
                return Optional.empty();
            }
            int count = buffer.getInt();
            List<ProducerEntry> entries = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
            for (int p = 0; p < count; p++) {
                ProducerEntry entry = new ProducerEntry(buffer.getLong(), buffer.getShort());
                if (version >= VERSION) {
                    entry.setCoordinatorEpoch(buffer.getInt());
                    entry.setOngoingTxnFirstOffset(buffer.getLong());
                }
                int batches = buffer.get();
                for (int b = 0; b < batches; b++) {
                    entry.addBatch(entry.epoch(), new ProducerBatch(buffer.getInt(), buffer.getInt(), buffer.getLong(),
                            buffer.getLong(), buffer.getLong()));
                }
                entries.add(entry);
            }
            return buffer.hasRemaining() ? Optional.empty() : Optional.of(entries);
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }

    /** Offsets of the snapshot files in {@code dir}, ascending. */
    static TreeSet<Long> list(Path dir) throws IOException {
        TreeSet<Long> offsets = new TreeSet<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> SegmentFiles.offsetOf(f.getFileName().toString(), SegmentFiles.SNAPSHOT_SUFFIX)
                    .ifPresent(offsets::add));
        }
        return offsets;
    }

    private static long crcOf(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return crc.getValue();
    }
}

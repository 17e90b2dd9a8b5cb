package io.millrace.storage;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test batches and ways to look inside what a log returns. */
final class Batches {
    private Batches() {
    }

    /** An uncompressed batch of {@code count} records "v0".."v{n-1}" stamped from {@code timestamp} on. */
    static ByteBuffer records(int count, long timestamp) {
        return records(count, timestamp, BatchCompression.NONE);
    }

    static ByteBuffer records(int count, long timestamp, BatchCompression compression) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(compression);
        for (int i = 0; i < count; i++) {
            builder.add(timestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** An idempotent producer's batch. */
    static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, int count, long timestamp) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().producer(producerId, epoch, baseSequence);
        for (int i = 0; i < count; i++) {
            builder.add(timestamp, "k", "v" + i);
        }
        return builder.build();
    }

    /** One record with a value of {@code valueBytes} bytes. */
    static ByteBuffer sized(int valueBytes, long timestamp) {
        return KafkaRecords.batchBuilder().add(timestamp, null, new byte[valueBytes]).build();
    }

    static ByteBuffer concat(ByteBuffer... buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : buffers) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** Headers of the batches in {@code buffer}: (baseOffset, lastOffset) pairs and a CRC check. */
    record BatchInfo(long baseOffset, long lastOffset, int records, boolean crcValid, long maxTimestamp,
                     int leaderEpoch) {
    }

    static List<BatchInfo> batchesIn(ByteBuffer buffer) {
        List<BatchInfo> batches = new ArrayList<>();
        RecordBatchHeader header = new RecordBatchHeader();
        for (int p = buffer.position(); p < buffer.limit(); p += header.sizeInBytes()) {
            header.wrap(buffer, p);
            batches.add(new BatchInfo(header.baseOffset(), header.lastOffset(), header.recordsCount(),
                    header.isCrcValid(), header.maxTimestamp(), header.partitionLeaderEpoch()));
        }
        return batches;
    }

    /** Every record offset in {@code buffer}, in order. */
    static List<Long> offsetsIn(ByteBuffer buffer) {
        List<Long> offsets = new ArrayList<>();
        RecordBatchHeader header = new RecordBatchHeader();
        for (int p = buffer.position(); p < buffer.limit(); p += header.sizeInBytes()) {
            header.wrap(buffer, p);
            KafkaRecords.forEachRecord(buffer, p, (i, offset, t, k, v) -> offsets.add(offset));
        }
        return offsets;
    }

    /** Copies a live log directory as a crash would leave it (page cache contents, no clean close). */
    static void copyAsCrashed(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}

package io.millrace.storage;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Keyed test records for compacted logs, and what a log holds, decoded by kafka-clients (tests only). */
final class KeyedRecords {
    private KeyedRecords() {
    }

    /** One record as a consumer would see it. */
    record Rec(long offset, String key, String value, long timestamp) {
    }

    /** One batch as a consumer would see it. */
    record BatchView(long baseOffset, long lastOffset, int records, long producerId, int baseSequence,
                     boolean control, BatchCompression compression, boolean crcValid, List<Rec> contents) {
    }

    /** A batch of key/value pairs (a null value is a tombstone), stamped {@code timestamp}. */
    static ByteBuffer batch(long timestamp, String... keysAndValues) {
        return batch(BatchCompression.NONE, timestamp, keysAndValues);
    }

    static ByteBuffer batch(BatchCompression compression, long timestamp, String... keysAndValues) {
        return builder(compression, timestamp, keysAndValues).build();
    }

    static KafkaRecords.BatchBuilder builder(BatchCompression compression, long timestamp, String... keysAndValues) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(compression);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.add(timestamp, keysAndValues[i], keysAndValues[i + 1]);
        }
        return builder;
    }

    /** Appends as leader and moves the high watermark to the end (as a single replica does). */
    static AppendResult append(PartitionLog log, ByteBuffer batch) {
        AppendResult result = log.appendAsLeader(batch, 0);
        log.updateHighWatermark(log.logEndOffset());
        return result;
    }

    /** Every batch from the log start to the log end, through {@link PartitionLog#read}. */
    static List<BatchView> batches(PartitionLog log) {
        List<BatchView> all = new ArrayList<>();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            ByteBuffer chunk = log.read(offset, Integer.MAX_VALUE, end, true).records();
            if (!chunk.hasRemaining()) {
                break;
            }
            for (RecordBatch batch : MemoryRecords.readableRecords(chunk).batches()) {
                List<Rec> records = new ArrayList<>();
                for (Record record : batch) {
                    records.add(new Rec(record.offset(), string(record.key()), string(record.value()),
                            record.timestamp()));
                }
                all.add(new BatchView(batch.baseOffset(), batch.lastOffset(), records.size(), batch.producerId(),
                        batch.baseSequence(), batch.isControlBatch(),
                        BatchCompression.forId(batch.compressionType().id), batch.isValid(), records));
                offset = batch.nextOffset();
            }
        }
        return all;
    }

    /** Every record from the log start to the log end (control records included). */
    static List<Rec> records(PartitionLog log) {
        List<Rec> records = new ArrayList<>();
        for (BatchView batch : batches(log)) {
            records.addAll(batch.contents());
        }
        return records;
    }

    static List<Long> offsets(List<Rec> records) {
        return records.stream().map(Rec::offset).toList();
    }

    /** Key to latest value (null for a tombstone), in first-seen key order. */
    static Map<String, String> latest(List<Rec> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Rec record : records) {
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    private static String string(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

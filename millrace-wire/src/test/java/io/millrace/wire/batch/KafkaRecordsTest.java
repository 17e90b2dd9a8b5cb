package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KafkaRecordsTest {

    record Seen(int index, long offset, long timestamp, int keySize, int valueSize) {
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void visitsRecordsOfEveryCodec(BatchCompression codec) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(codec).baseOffset(50);
        for (int i = 0; i < 100; i++) {
            builder.add(10_000L + i, i % 2 == 0 ? null : new byte[i], new byte[2 * i]);
        }
        ByteBuffer batch = builder.build();
        assertEquals(codec, new RecordBatchHeader().wrap(batch, 0).compression());
        assertTrue(new RecordBatchHeader().wrap(batch, 0).isCrcValid());

        List<Seen> seen = new ArrayList<>();
        int visited = KafkaRecords.forEachRecord(batch, 0, (i, o, t, k, v) -> seen.add(new Seen(i, o, t, k, v)));
        assertEquals(100, visited);
        for (int i = 0; i < 100; i++) {
            assertEquals(new Seen(i, 50 + i, 10_000L + i, i % 2 == 0 ? -1 : i, 2 * i), seen.get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(value = BatchCompression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void stopsEarlyInCompressedBatches(BatchCompression codec) {
        ByteBuffer batch = KafkaRecords.batchBuilder().compression(codec)
                .add(1L, "a", "b").add(2L, "c", "d").add(3L, "e", "f").build();
        assertEquals(2, KafkaRecords.forEachRecord(batch, 0, (i, o, t, k, v) -> t < 2L));
    }

    @Test
    void garbageInACompressedPayloadIsCorrupt() {
        ByteBuffer batch = KafkaRecords.batchBuilder().compression(BatchCompression.LZ4)
                .add(1L, "aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbb").build();
        for (int i = RecordBatchHeader.HEADER_SIZE; i < batch.limit(); i++) {
            batch.put(i, (byte) 0x55);
        }
        assertThrows(CorruptRecordException.class, () -> KafkaRecords.forEachRecord(batch, 0, (i, o, t, k, v) -> true));
    }

    @Test
    void bufferOfAndWrapRoundTrip() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "a", "b").build();
        BaseRecords records = KafkaRecords.wrap(batch.duplicate());
        assertEquals(batch.remaining(), records.sizeInBytes());
        assertEquals(batch, KafkaRecords.bufferOf(records));
        assertEquals(0, KafkaRecords.bufferOf(null).remaining());
        assertEquals(0, KafkaRecords.empty().sizeInBytes());
    }
}

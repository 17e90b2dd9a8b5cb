package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class UncompressedRecordWalkerTest {

    record Seen(int index, long offset, long timestamp, int keySize, int valueSize) {
    }

    private static List<Seen> walk(ByteBuffer batch) {
        List<Seen> seen = new ArrayList<>();
        UncompressedRecordWalker.walk(batch, 0, (i, o, t, k, v) -> seen.add(new Seen(i, o, t, k, v)));
        return seen;
    }

    @Test
    void visitsEveryRecordWithItsFields() {
        ByteBuffer batch = KafkaRecords.batchBuilder().baseOffset(10)
                .add(1_000L, "key", "value")
                .add(900L, null, "vv")
                .add(2_000L, "k".getBytes(StandardCharsets.UTF_8), null,
                        new RecordHeader("h", "x".getBytes(StandardCharsets.UTF_8)), new RecordHeader("n", (byte[]) null))
                .build();
        assertEquals(List.of(
                new Seen(0, 10, 1_000L, 3, 5),
                new Seen(1, 11, 900L, -1, 2),
                new Seen(2, 12, 2_000L, 1, -1)), walk(batch));
    }

    @Test
    void logAppendTimeBatchesReportTheBatchTimestamp() {
        ByteBuffer batch = KafkaRecords.batchBuilder().logAppendTime(5_000L).add(1L, "a", "b").add(2L, "c", "d").build();
        List<Seen> seen = walk(batch);
        assertEquals(5_000L, seen.get(0).timestamp());
        assertEquals(5_000L, seen.get(1).timestamp());
    }

    @Test
    void stopsWhenTheVisitorSaysSo() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "a", "b").add(2L, "c", "d").add(3L, "e", "f").build();
        assertEquals(2, UncompressedRecordWalker.walk(batch, 0, (i, o, t, k, v) -> i < 1));
    }

    @Test
    void rejectsARecordCountLargerThanTheRecords() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "a", "b").build();
        batch.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 2);
        assertThrows(InvalidRecordException.class, () -> walk(batch));
    }

    @Test
    void rejectsBytesAfterTheLastRecord() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "a", "b").add(2L, "c", "d").build();
        batch.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 1);
        assertThrows(InvalidRecordException.class, () -> walk(batch));
    }

    @Test
    void rejectsARecordLengthPastTheBatchEnd() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "a", "b").build();
        batch.put(RecordBatchHeader.HEADER_SIZE, (byte) 0x7e); // zig-zag 63: far more than the record has
        assertThrows(InvalidRecordException.class, () -> walk(batch));
    }

    @Test
    void rejectsATruncatedBatch() {
        ByteBuffer full = KafkaRecords.batchBuilder().add(1L, "abc", "defgh").build();
        ByteBuffer shortened = ByteBuffer.allocate(full.remaining() - 3).put(full.duplicate().limit(full.limit() - 3)).flip();
        shortened.putInt(RecordBatchHeader.BATCH_LENGTH_OFFSET, shortened.remaining() - RecordBatchHeader.LOG_OVERHEAD);
        assertThrows(InvalidRecordException.class, () -> walk(shortened));
    }

    @Test
    void headersAreSkippedWhateverTheirNumber() {
        Header[] headers = new Header[20];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = new RecordHeader("h" + i, new byte[i]);
        }
        ByteBuffer batch = KafkaRecords.batchBuilder().add(7L, new byte[300], new byte[1], headers).build();
        assertEquals(List.of(new Seen(0, 0, 7L, 300, 1)), walk(batch));
    }
}

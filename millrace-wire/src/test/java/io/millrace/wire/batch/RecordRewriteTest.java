package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RecordCursor, RecordsCompression and RecordBatchWriter together: drop records, rebase timestamps, re-read with kafka-clients. */
class RecordRewriteTest {

    private static ByteBuffer batch(BatchCompression compression) {
        return KafkaRecords.batchBuilder().compression(compression).baseOffset(100).producer(7, (short) 1, 40)
                .add(1_000L, "a", "1")
                .add(1_005L, "b".getBytes(StandardCharsets.UTF_8), null)
                .add(1_010L, "c".getBytes(StandardCharsets.UTF_8), "3".getBytes(StandardCharsets.UTF_8),
                        new RecordHeader("h", "x".getBytes(StandardCharsets.UTF_8)))
                .add(1_020L, null, "4")
                .build();
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void keepsSomeRecordsAtTheirOffsetsWithARebasedTimestamp(BatchCompression compression) {
        ByteBuffer original = batch(compression);
        RecordBatchHeader header = new RecordBatchHeader().wrap(original, 0);
        ByteBuffer plain = RecordsCompression.plainRecords(original, 0);
        RecordCursor cursor = new RecordCursor().wrap(plain, plain.position(), plain.limit());
        long horizon = 90_000L;
        ByteBuffer kept = ByteBuffer.allocate(1024);
        int index = 0;
        List<Integer> keySizes = new ArrayList<>();
        while (cursor.next()) {
            keySizes.add(cursor.keySize());
            if (index == 1 || index == 2) {
                int before = kept.position();
                long newDelta = header.baseTimestamp() + cursor.timestampDelta() - horizon;
                cursor.copyTo(kept, newDelta);
                assertEquals(cursor.sizeWithTimestampDelta(newDelta), kept.position() - before);
            }
            index++;
        }
        assertEquals(List.of(1, 1, 1, -1), keySizes);
        kept.flip();
        ByteBuffer payload = RecordsCompression.compress(compression, kept);
        ByteBuffer out = ByteBuffer.allocate(RecordBatchWriter.sizeOf(payload.remaining()));
        short attributes = (short) (header.attributes() | RecordBatchHeader.DELETE_HORIZON_MASK);
        RecordBatchWriter.write(out, header, attributes, horizon, 1_010L, 2, payload);
        assertFalse(out.hasRemaining());
        out.flip();

        RecordBatchHeader rewritten = new RecordBatchHeader().wrap(out, 0);
        assertTrue(rewritten.isCrcValid());
        assertEquals(100, rewritten.baseOffset());
        assertEquals(103, rewritten.lastOffset(), "lastOffsetDelta is kept");
        assertEquals(43, rewritten.lastSequence());
        assertEquals(compression, rewritten.compression());
        assertTrue(rewritten.hasDeleteHorizon());

        RecordBatch read = MemoryRecords.readableRecords(out).batches().iterator().next();
        read.ensureValid();
        assertEquals(90_000L, read.deleteHorizonMs().orElseThrow());
        List<Record> records = new ArrayList<>();
        read.forEach(records::add);
        assertEquals(2, records.size());
        assertEquals(101, records.get(0).offset());
        assertEquals(1_005L, records.get(0).timestamp());
        assertNull(records.get(0).value());
        assertEquals(102, records.get(1).offset());
        assertEquals(1_010L, records.get(1).timestamp());
        assertEquals("h", records.get(1).headers()[0].key());
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void anEmptyBatchKeepsTheProducerFields(BatchCompression compression) {
        ByteBuffer original = batch(compression);
        RecordBatchHeader header = new RecordBatchHeader().wrap(original, 0);
        ByteBuffer out = ByteBuffer.allocate(RecordBatchWriter.sizeOf(0));
        RecordBatchWriter.writeEmpty(out, header);
        RecordBatchHeader empty = new RecordBatchHeader().wrap(out.flip(), 0);
        assertTrue(empty.isCrcValid());
        assertEquals(0, empty.recordsCount());
        assertEquals(103, empty.lastOffset());
        assertEquals(7, empty.producerId());
        assertEquals(43, empty.lastSequence());
        assertFalse(empty.isCompressed());
        RecordBatch read = MemoryRecords.readableRecords(out).batches().iterator().next();
        read.ensureValid();
        assertFalse(read.iterator().hasNext());
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void compressionRoundTrips(BatchCompression compression) {
        byte[] bytes = "some records, some records, some records".getBytes(StandardCharsets.UTF_8);
        ByteBuffer compressed = RecordsCompression.compress(compression, ByteBuffer.wrap(bytes));
        ByteBuffer whole = ByteBuffer.allocate(RecordBatchWriter.sizeOf(compressed.remaining()));
        ByteBuffer template = batch(compression);
        RecordBatchHeader header = new RecordBatchHeader().wrap(template, 0);
        RecordBatchWriter.write(whole, header, header.attributes(), 0, 0, 0, compressed);
        ByteBuffer plain = RecordsCompression.plainRecords(whole.flip(), 0);
        byte[] back = new byte[plain.remaining()];
        plain.get(back);
        assertArrayEquals(bytes, back);
    }

    @org.junit.jupiter.api.Test
    void varintSizesMatchWhatIsWritten() {
        long[] values = {0, 1, -1, 63, -64, 64, 1L << 20, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : values) {
            ByteBuffer out = ByteBuffer.allocate(16);
            Varints.writeVarlong(out, v);
            assertEquals(Varints.sizeOfVarlong(v), out.position(), "varlong " + v);
            if (v == (int) v) {
                ByteBuffer outInt = ByteBuffer.allocate(8);
                Varints.writeVarint(outInt, (int) v);
                assertEquals(Varints.sizeOfVarint((int) v), outInt.position(), "varint " + v);
            }
        }
    }
}

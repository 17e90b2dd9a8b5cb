package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordBatchHeaderTest {

    @Test
    void readsEveryFieldOfABatchKafkaClientsWrote() {
        ByteBuffer batch = KafkaRecords.batchBuilder()
                .baseOffset(100)
                .producer(7L, (short) 3, 42)
                .transactional(true)
                .partitionLeaderEpoch(5)
                .compression(BatchCompression.GZIP)
                .add(1_000L, "k1", "v1")
                .add(1_500L, null, "v2")
                .add(1_200L, "k3", null)
                .build();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);

        assertEquals(100, header.baseOffset());
        assertEquals(batch.remaining(), header.sizeInBytes());
        assertEquals(5, header.partitionLeaderEpoch());
        assertEquals(RecordBatchHeader.MAGIC_V2, header.magic());
        assertEquals(BatchCompression.GZIP, header.compression());
        assertTrue(header.isTransactional());
        assertFalse(header.isControl());
        assertEquals(TimestampType.CREATE_TIME, header.timestampType());
        assertEquals(2, header.lastOffsetDelta());
        assertEquals(102, header.lastOffset());
        assertEquals(103, header.nextOffset());
        assertEquals(1_000L, header.baseTimestamp());
        assertEquals(1_500L, header.maxTimestamp());
        assertEquals(7L, header.producerId());
        assertEquals(3, header.producerEpoch());
        assertEquals(42, header.baseSequence());
        assertEquals(44, header.lastSequence());
        assertEquals(3, header.recordsCount());
        assertTrue(header.isCrcValid());
    }

    @Test
    void fieldsOutsideTheCrcCanBeRewrittenWithoutBreakingIt() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "k", "v").build();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        header.setBaseOffset(12345);
        header.setPartitionLeaderEpoch(9);
        assertTrue(header.isCrcValid());
        assertEquals(12345, header.baseOffset());
        assertEquals(9, header.partitionLeaderEpoch());
    }

    @Test
    void rewritingCoveredFieldsNeedsACrcUpdate() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "k", "v").build();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        header.setAttributes((short) (header.attributes() | RecordBatchHeader.TIMESTAMP_TYPE_MASK));
        header.setMaxTimestamp(99);
        assertFalse(header.isCrcValid());
        header.updateCrc();
        assertTrue(header.isCrcValid());
        assertEquals(TimestampType.LOG_APPEND_TIME, header.timestampType());
        assertEquals(99, header.maxTimestamp());
    }

    @Test
    void aFlippedPayloadByteFailsTheCrc() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(1L, "key", "value").build();
        int last = batch.limit() - 1;
        batch.put(last, (byte) (batch.get(last) ^ 0x01));
        assertFalse(new RecordBatchHeader().wrap(batch, 0).isCrcValid());
    }

    @Test
    void readsABatchAtANonZeroPosition() {
        ByteBuffer first = KafkaRecords.batchBuilder().add(1L, "a", "b").build();
        ByteBuffer second = KafkaRecords.batchBuilder().baseOffset(1).add(2L, "c", "d").add(3L, "e", "f").build();
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        RecordBatchHeader header = new RecordBatchHeader().wrap(both, first.limit());
        assertEquals(1, header.baseOffset());
        assertEquals(2, header.recordsCount());
        assertTrue(header.isCrcValid());
    }

    @Test
    void sequencesWrapToZeroAfterIntegerMax() {
        assertEquals(5, RecordBatchHeader.incrementSequence(2, 3));
        assertEquals(Integer.MAX_VALUE, RecordBatchHeader.incrementSequence(Integer.MAX_VALUE - 1, 1));
        assertEquals(0, RecordBatchHeader.incrementSequence(Integer.MAX_VALUE, 1));
        assertEquals(2, RecordBatchHeader.incrementSequence(Integer.MAX_VALUE - 2, 5));
    }

    @Test
    void controlBitCanBeSetByTheBuilder() {
        ByteBuffer batch = KafkaRecords.batchBuilder().control(true).add(1L, "k", "v").build();
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        assertTrue(header.isControl());
        assertTrue(header.isCrcValid());
    }
}

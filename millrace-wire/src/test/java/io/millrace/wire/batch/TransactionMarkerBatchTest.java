package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TransactionMarkerBatchTest {

    @Test
    void aMarkerBatchIsAControlBatchWithoutSequenceThatReadsBack() {
        ByteBuffer batch = KafkaRecords.transactionMarkerBatch(42, (short) 3, new TransactionMarker(false, 7), 1_000);
        RecordBatchHeader header = new RecordBatchHeader().wrap(batch, 0);
        assertTrue(header.isControl());
        assertTrue(header.isTransactional());
        assertTrue(header.isCrcValid());
        assertEquals(42, header.producerId());
        assertEquals(3, header.producerEpoch());
        assertEquals(RecordBatchHeader.NO_SEQUENCE, header.baseSequence());
        assertEquals(1, header.recordsCount());
        assertEquals(batch.remaining(), header.sizeInBytes());
        assertEquals(new TransactionMarker(false, 7), KafkaRecords.readTransactionMarker(header));

        ByteBuffer commit = KafkaRecords.transactionMarkerBatch(42, (short) 3, new TransactionMarker(true, 0), 1_000);
        assertEquals(new TransactionMarker(true, 0), KafkaRecords.readTransactionMarker(new RecordBatchHeader().wrap(commit, 0)));
    }

    @Test
    void anotherKindOfControlBatchIsNoMarker() {
        ByteBuffer other = KafkaRecords.batchBuilder().control(true).add(0, new byte[] {0, 0, 0, 2}, new byte[0]).build();
        assertNull(KafkaRecords.readTransactionMarker(new RecordBatchHeader().wrap(other, 0)));
    }
}

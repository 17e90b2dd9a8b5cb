package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class ProducerSequenceCheckTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final ProducerStateTable table = new ProducerStateTable();
    private long nextOffset;

    private RecordBatchHeader batch(long pid, int epoch, int seq, int count) {
        ByteBuffer buffer = Batches.idempotent(pid, (short) epoch, seq, count, 1L);
        return new RecordBatchHeader().wrap(buffer, 0);
    }

    /** Checks and, when new, "writes" the batch: assigns offsets and replays it. */
    private ProducerBatch append(long pid, int epoch, int seq, int count) {
        RecordBatchHeader header = batch(pid, epoch, seq, count);
        ProducerBatch duplicate = new ProducerSequenceCheck(table, TP).check(header);
        if (duplicate == null) {
            header.setBaseOffset(nextOffset);
            nextOffset += count;
            table.replay(header);
        }
        return duplicate;
    }

    @Test
    void batchesWithoutAProducerIdAreNotChecked() {
        RecordBatchHeader header = new RecordBatchHeader().wrap(Batches.records(2, 1L), 0);
        assertNull(new ProducerSequenceCheck(table, TP).check(header));
    }

    @Test
    void anUnknownProducerMayStartAtAnySequenceAsInKafka() {
        assertNull(append(1, 0, 5, 1)); // its state may have expired
        assertNull(append(1, 0, 6, 3));
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 0, 0, 3));
    }

    @Test
    void sequencesMustFollowWithoutGaps() {
        append(1, 0, 0, 3);
        assertNull(append(1, 0, 3, 2));
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 0, 6, 1));
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 0, 4, 1));
    }

    @Test
    void aRetryOfOneOfTheLastFiveBatchesIsADuplicate() {
        for (int i = 0; i < 7; i++) {
            append(1, 0, i * 2, 2);
        }
        ProducerBatch duplicate = append(1, 0, 8, 2);
        assertEquals(new ProducerBatch(8, 9, 8, 9, 1L), duplicate);
        // The oldest two batches are no longer remembered: out of order, not a duplicate.
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 0, 2, 2));
    }

    @Test
    void olderEpochsAreFencedAndNewerOnesRestartAtZero() {
        append(1, 3, 0, 2);
        assertThrows(InvalidProducerEpochException.class, () -> append(1, 2, 2, 1));
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 4, 2, 1));
        assertNull(append(1, 4, 0, 1));
        assertEquals(4, table.get(1).epoch());
        assertEquals(1, table.get(1).batches().size());
    }

    @Test
    void sequencesWrapAroundAfterIntegerMax() {
        ProducerEntry entry = new ProducerEntry(1, (short) 0);
        entry.addBatch((short) 0, new ProducerBatch(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0, 1, 1L));
        table.put(entry);
        assertThrows(OutOfOrderSequenceException.class, () -> append(1, 0, 1, 1));
        assertNull(append(1, 0, 0, 1));
    }

    @Test
    void laterBatchesOfOneAppendSeeTheEarlierOnes() {
        ProducerSequenceCheck check = new ProducerSequenceCheck(table, TP);
        assertNull(check.check(batch(1, 0, 0, 2)));
        assertNull(check.check(batch(1, 0, 2, 2)));
        assertThrows(OutOfOrderSequenceException.class, () -> check.check(batch(1, 0, 5, 1)));
    }
}

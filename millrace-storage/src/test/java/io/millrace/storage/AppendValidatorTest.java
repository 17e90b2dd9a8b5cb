package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class AppendValidatorTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestConfigs.defaults().build();

    private static ValidatedBatches validate(ByteBuffer buffer, LogConfig config) {
        return AppendValidator.validateFromProducer(buffer, config, NOW, TP);
    }

    @Test
    void acceptsGoodBatchesAndComputesTheirMaxTimestamp() {
        ByteBuffer buffer = Batches.concat(Batches.records(3, NOW), Batches.records(2, NOW + 100));
        ValidatedBatches batches = validate(buffer, CONFIG);
        assertEquals(2, batches.count());
        assertEquals(NOW + 2, batches.maxTimestamp(0));
        assertEquals(NOW + 101, batches.maxTimestamp(1));
        assertEquals(3, batches.offsetCount(0));
        assertEquals(2, batches.recordCount(1));
    }

    @Test
    void aTruncatedBatchIsCorrupt() {
        ByteBuffer whole = Batches.records(3, NOW);
        assertThrows(CorruptRecordException.class, () -> validate(whole.duplicate().limit(whole.limit() - 1), CONFIG));
        assertThrows(CorruptRecordException.class, () -> validate(whole.duplicate().limit(30), CONFIG));
        whole.putInt(RecordBatchHeader.BATCH_LENGTH_OFFSET, 10);
        assertThrows(CorruptRecordException.class, () -> validate(whole, CONFIG));
    }

    @Test
    void aBadCrcIsCorrupt() {
        ByteBuffer batch = Batches.records(3, NOW);
        batch.put(batch.limit() - 1, (byte) 0x7f);
        assertThrows(CorruptRecordException.class, () -> validate(batch, CONFIG));
    }

    @Test
    void onlyMagicTwoIsSupported() {
        ByteBuffer batch = Batches.records(1, NOW);
        batch.put(RecordBatchHeader.MAGIC_OFFSET, (byte) 1);
        assertThrows(UnsupportedForMessageFormatException.class, () -> validate(batch, CONFIG));
    }

    @Test
    void batchesAboveMaxMessageBytesAreTooLarge() {
        ByteBuffer batch = Batches.sized(2_000, NOW);
        assertThrows(RecordTooLargeException.class,
                () -> validate(batch, TestConfigs.defaults().maxMessageBytes(1_000).build()));
    }

    @Test
    void anAppendLargerThanASegmentIsRejected() {
        ByteBuffer buffer = Batches.concat(Batches.sized(600, NOW), Batches.sized(600, NOW));
        assertThrows(RecordBatchTooLargeException.class,
                () -> validate(buffer, TestConfigs.defaults().segmentBytes(1_000).build()));
    }

    @Test
    void controlBatchesFromProducersAreInvalid() {
        ByteBuffer batch = KafkaRecords.batchBuilder().control(true).add(NOW, "k", "v").build();
        assertThrows(InvalidRecordException.class, () -> validate(batch, CONFIG));
    }

    @Test
    void headerCountsMustMatchTheRecords() {
        ByteBuffer wrongDelta = Batches.records(3, NOW);
        wrongDelta.putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, 5);
        new RecordBatchHeader().wrap(wrongDelta, 0).updateCrc();
        assertThrows(InvalidRecordException.class, () -> validate(wrongDelta, CONFIG));

        ByteBuffer zero = Batches.records(1, NOW);
        zero.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 0);
        new RecordBatchHeader().wrap(zero, 0).updateCrc();
        assertThrows(InvalidRecordException.class, () -> validate(zero, CONFIG));
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void recordOffsetDeltasMustRunFromZero(BatchCompression codec) {
        // A batch built with its own offsets 0, 2, 4 (as if compacted): deltas are not 0..n-1.
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(codec);
        ByteBuffer contiguous = builder.add(NOW, "a", "1").add(NOW, "b", "2").build();
        validate(contiguous, CONFIG);
        ByteBuffer gappy = gappyBatch(codec);
        assertThrows(InvalidRecordException.class, () -> validate(gappy, CONFIG));
    }

    /** Two records whose offset deltas are 0 and 1 but the header says lastOffsetDelta 1 with delta 2 inside. */
    private static ByteBuffer gappyBatch(BatchCompression codec) {
        ByteBuffer first = KafkaRecords.batchBuilder().compression(codec).add(NOW, "a", "1").add(NOW, "b", "2").build();
        if (codec == BatchCompression.NONE) {
            // Rewrite the second record's offset delta varint (zig-zag 1 = 0x02) to 2 (0x04).
            int p = RecordBatchHeader.HEADER_SIZE;
            int firstLength = first.get(p) >> 1;
            int second = p + 1 + firstLength;
            // length varint(1) + attributes(1) + timestampDelta varint(1) -> offsetDelta
            first.put(second + 3, (byte) 0x04);
            new RecordBatchHeader().wrap(first, 0).updateCrc();
            return first;
        }
        // Compressed: claim three records with lastOffsetDelta 2 while only two are inside.
        first.putInt(RecordBatchHeader.RECORDS_COUNT_OFFSET, 3);
        first.putInt(RecordBatchHeader.LAST_OFFSET_DELTA_OFFSET, 2);
        new RecordBatchHeader().wrap(first, 0).updateCrc();
        return first;
    }

    @Test
    void createTimeTimestampsMustBeWithinTheConfiguredWindow() {
        LogConfig config = TestConfigs.defaults().timestamps(TimestampType.CREATE_TIME, 1_000, 500).build();
        validate(Batches.records(1, NOW - 1_000), config);
        validate(Batches.records(1, NOW + 500), config);
        for (ByteBuffer outside : List.of(Batches.records(1, NOW - 1_001), Batches.records(1, NOW + 501),
                Batches.records(3, NOW + 499, BatchCompression.ZSTD))) {
            RejectedRecordsException e = assertThrows(RejectedRecordsException.class, () -> validate(outside, config));
            assertInstanceOf(InvalidTimestampException.class, e.partitionError());
        }
    }

    @Test
    void logAppendTimeTopicsDoNotCheckTimestamps() {
        LogConfig config = TestConfigs.defaults().timestamps(TimestampType.LOG_APPEND_TIME, 1_000, 500).build();
        validate(Batches.records(1, 5L), config);
    }

    @Test
    void aFollowerAppendNeedsIncreasingOffsets() {
        ByteBuffer a = KafkaRecords.batchBuilder().baseOffset(10).add(NOW, "a", "b").add(NOW, "c", "d").build();
        ByteBuffer b = KafkaRecords.batchBuilder().baseOffset(12).add(NOW, "a", "b").build();
        assertEquals(2, AppendValidator.validateFromLeader(Batches.concat(a, b), 10, TP).count());
        assertThrows(InvalidRecordException.class, () -> AppendValidator.validateFromLeader(Batches.concat(a, b), 11, TP));
        assertThrows(InvalidRecordException.class, () -> AppendValidator.validateFromLeader(Batches.concat(b, a), 0, TP));
    }
}

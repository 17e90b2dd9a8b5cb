package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The validation of a producer's batch names every offending record by index (KIP-467), as Kafka does. */
class RecordErrorsTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final String KEYLESS = "Compacted topic cannot accept message without key in topic partition t-0";
    private static final LogConfig COMPACTED = TestConfigs.defaults().cleanup(false, true).build();
    private static final LogConfig WINDOW = TestConfigs.defaults()
            .timestamps(TimestampType.CREATE_TIME, 1_000, 500).build();

    private static RejectedRecordsException rejected(ByteBuffer batch, LogConfig config) {
        return assertThrows(RejectedRecordsException.class,
                () -> AppendValidator.validateFromProducer(batch, config, NOW, TP));
    }

    private static List<Integer> indexes(RejectedRecordsException e) {
        return e.recordErrors().stream().map(RecordError::batchIndex).toList();
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void everyKeylessRecordOfACompactedBatchIsNamed(BatchCompression codec) {
        ByteBuffer batch = KafkaRecords.batchBuilder().compression(codec)
                .add(NOW, "a", "1").add(NOW, null, "2").add(NOW, "c", "3").add(NOW, null, "4").add(NOW, null, "5")
                .add(NOW, null, "6").build();
        RejectedRecordsException e = rejected(batch, COMPACTED);
        assertEquals(List.of(1, 3, 4, 5), indexes(e));
        e.recordErrors().forEach(error -> assertEquals(KEYLESS, error.message()));
        InvalidRecordException partition = assertInstanceOf(InvalidRecordException.class, e.partitionError());
        assertEquals("One or more records have been rejected due to 4 record errors in total, and only showing the"
                + " first three errors at most: [RecordError(batchIndex=1, message='" + KEYLESS + "'),"
                + " RecordError(batchIndex=3, message='" + KEYLESS + "'), RecordError(batchIndex=4, message='"
                + KEYLESS + "')]", partition.getMessage());
        assertEquals(partition.getMessage(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void everyTimestampOutsideTheWindowIsNamed(BatchCompression codec) {
        ByteBuffer batch = KafkaRecords.batchBuilder().compression(codec)
                .add(NOW - 1_000, "a", "in").add(NOW - 1_001, "b", "old").add(NOW + 500, "c", "in")
                .add(NOW + 501, "d", "new").add(-1, "e", "none").build();
        RejectedRecordsException e = rejected(batch, WINDOW);
        assertEquals(List.of(1, 3), indexes(e));
        assertEquals("Timestamp " + (NOW - 1_001) + " of message with offset 1 is out of range. The timestamp should"
                + " be within [" + (NOW - 1_000) + ", " + (NOW + 500) + "]", e.recordErrors().get(0).message());
        assertInstanceOf(InvalidTimestampException.class, e.partitionError());
        assertEquals("One or more records have been rejected due to invalid timestamp", e.getMessage());
    }

    @Test
    void aRecordWithBothFaultsIsNamedOnceForItsKeyAndTheBatchAnswersInvalidTimestamp() {
        LogConfig both = TestConfigs.defaults().cleanup(false, true)
                .timestamps(TimestampType.CREATE_TIME, 1_000, 500).build();
        ByteBuffer batch = KafkaRecords.batchBuilder().add(NOW, null, "keyless").add(NOW - 5_000, null, "both")
                .add(NOW - 5_000, "k", "old").build();
        RejectedRecordsException e = rejected(batch, both);
        assertEquals(List.of(0, 1, 2), indexes(e));
        assertEquals(KEYLESS, e.recordErrors().get(1).message());
        assertInstanceOf(InvalidTimestampException.class, e.partitionError());
    }

    @Test
    void onlyTheFirstBatchWithBadRecordsIsReported() {
        ByteBuffer good = KafkaRecords.batchBuilder().add(NOW, "a", "1").build();
        ByteBuffer bad = KafkaRecords.batchBuilder().add(NOW, "b", "2").add(NOW, null, "3").build();
        RejectedRecordsException e = rejected(Batches.concat(good, bad, bad.duplicate()), COMPACTED);
        assertEquals(List.of(1), indexes(e));
    }

    @ParameterizedTest
    @EnumSource(value = BatchCompression.class, names = {"NONE", "GZIP"})
    void producersMayNotSendLogAppendTimeBatchesToALogAppendTimeTopic(BatchCompression codec) {
        LogConfig logAppendTime = TestConfigs.defaults().timestamps(TimestampType.LOG_APPEND_TIME, 1_000, 500).build();
        ByteBuffer batch = KafkaRecords.batchBuilder().compression(codec).logAppendTime(5_000L)
                .add(NOW, "ab", "c").add(NOW, (String) null, null).build();
        RejectedRecordsException e = rejected(batch, logAppendTime);
        assertEquals(List.of(0, 1), indexes(e));
        String record = codec == BatchCompression.NONE ? "DefaultRecord(offset=1, timestamp=5000, key=0 bytes, value=0"
                : "PartialDefaultRecord(offset=1, timestamp=5000, key=-1 bytes, value=-1";
        assertEquals("Invalid timestamp type in message " + record + " bytes). Producer should not set timestamp type"
                + " to LogAppendTime.", e.recordErrors().get(1).message());
        assertInstanceOf(InvalidTimestampException.class, e.partitionError());
    }

    @Test
    void aLogAppendTimeBatchToACreateTimeTopicHasItsTimestampChecked() {
        ByteBuffer inRange = KafkaRecords.batchBuilder().logAppendTime(NOW + 100).add(NOW, "a", "1").build();
        AppendValidator.validateFromProducer(inRange, WINDOW, NOW, TP);
        ByteBuffer outside = KafkaRecords.batchBuilder().logAppendTime(NOW + 501).add(NOW, "a", "1").build();
        assertEquals(List.of(0), indexes(rejected(outside, WINDOW)));
    }

    @Test
    void validBatchesPass() {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(NOW, "a", "1").add(NOW + 500, "b", "2").build();
        LogConfig both = TestConfigs.defaults().cleanup(false, true)
                .timestamps(TimestampType.CREATE_TIME, 1_000, 500).build();
        assertEquals(NOW + 500, AppendValidator.validateFromProducer(batch, both, NOW, TP).maxTimestamp(0));
    }
}

package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionLogTimestampTest {
    private static final TopicPartition TP = new TopicPartition("clicks", 0);
    private static final long T = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(T);
    private PartitionLog log;

    private PartitionLog open(LogConfig config) {
        log = PartitionLog.open(dir, TP, Uuid.ZERO_UUID, config, time, true);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** Batch i (of 10 records) has timestamps T + 100i + 10j for record j; rolls and indexes often. */
    private void fill(BatchCompression codec, int batches) {
        for (int i = 0; i < batches; i++) {
            KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(codec);
            for (int j = 0; j < 10; j++) {
                builder.add(T + 100L * i + 10L * j, "key", "value-" + i + "-" + j);
            }
            log.appendAsLeader(builder.build(), 3);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void findsTheFirstRecordAtOrAfterATimestampWithEveryCodec(BatchCompression codec) {
        open(TestConfigs.defaults().segmentBytes(1_000).index(100, 1024).build());
        fill(codec, 30);
        assertEquals(Optional.of(new OffsetAndTimestamp(0, T, 3)), log.offsetForTimestamp(0));
        assertEquals(Optional.of(new OffsetAndTimestamp(0, T, 3)), log.offsetForTimestamp(T));
        assertEquals(Optional.of(new OffsetAndTimestamp(1, T + 10, 3)), log.offsetForTimestamp(T + 1));
        // batch 17 starts at offset 170 with T + 1700; record 3 has T + 1730.
        assertEquals(Optional.of(new OffsetAndTimestamp(173, T + 1730, 3)), log.offsetForTimestamp(T + 1725));
        assertEquals(Optional.of(new OffsetAndTimestamp(299, T + 2990, 3)), log.offsetForTimestamp(T + 2990));
        assertEquals(Optional.empty(), log.offsetForTimestamp(T + 2991));
    }

    @Test
    void recordsAboveTheHighWatermarkAreNotFound() {
        open(TestConfigs.defaults().build());
        fill(BatchCompression.NONE, 3);
        log.updateHighWatermark(20);
        assertEquals(Optional.empty(), log.offsetForTimestamp(T + 200));
        assertEquals(19, log.offsetForTimestamp(T + 190).orElseThrow().offset());
    }

    @Test
    void recordsBelowTheLogStartOffsetAreNotFound() {
        open(TestConfigs.defaults().build());
        fill(BatchCompression.NONE, 3);
        log.deleteRecordsBefore(15);
        assertEquals(15, log.offsetForTimestamp(T).orElseThrow().offset());
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void maxTimestampIsTheEarliestRecordWithTheLargestTimestamp(BatchCompression codec) {
        open(TestConfigs.defaults().segmentBytes(1_000).build());
        fill(codec, 12);
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(codec)
                .add(T, "a", "1").add(T + 50_000, "b", "2").add(T + 50_000, "c", "3");
        log.appendAsLeader(builder.build(), 3);
        fill(codec, 5);
        assertEquals(Optional.of(new OffsetAndTimestamp(121, T + 50_000, 3)), log.maxTimestamp());
    }

    @Test
    void logAppendTimeBatchesAnswerWithTheirFirstOffset() {
        open(TestConfigs.defaults().timestamps(TimestampType.LOG_APPEND_TIME, Long.MAX_VALUE, Long.MAX_VALUE).build());
        log.appendAsLeader(Batches.records(5, 1L), 0);
        time.advance(1_000);
        log.appendAsLeader(Batches.records(5, 1L), 0);
        log.updateHighWatermark(log.logEndOffset());
        assertEquals(new OffsetAndTimestamp(5, T + 1_000, 0), log.offsetForTimestamp(T + 1).orElseThrow());
        assertEquals(new OffsetAndTimestamp(5, T + 1_000, 0), log.maxTimestamp().orElseThrow());
    }

    @Test
    void anEmptyLogHasNoTimestamps() {
        open(TestConfigs.defaults().build());
        assertTrue(log.offsetForTimestamp(0).isEmpty());
        assertTrue(log.maxTimestamp().isEmpty());
    }
}

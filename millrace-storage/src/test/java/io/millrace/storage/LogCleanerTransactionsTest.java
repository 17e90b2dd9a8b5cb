package io.millrace.storage;

import static io.millrace.storage.CompactedLogFixture.HOUR;
import static io.millrace.storage.CompactedLogFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent producers' last batches and transaction markers through cleanings. */
class LogCleanerTransactionsTest {
    private static final byte[] MARKER_KEY = {0, 0, 0, 1};

    @TempDir
    Path dir;

    private static ByteBuffer producerBatch(long producerId, int sequence, long timestamp, String key, String value) {
        return KafkaRecords.batchBuilder().producer(producerId, (short) 0, sequence).add(timestamp, key, value).build();
    }

    @Test
    void theLastBatchOfAnIdempotentProducerSurvivesAsAnEmptyBatch() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            KeyedRecords.append(f.log, producerBatch(7, 0, NOW, "k", "from 7"));
            KeyedRecords.append(f.log, producerBatch(8, 0, NOW + 100, "k", "from 8, first"));
            KeyedRecords.append(f.log, producerBatch(8, 1, NOW + 200, "k", "from 8, second"));
            f.appendSpaced("z", "active");

            assertTrue(f.cleaner.cleanOnce());
            List<KeyedRecords.BatchView> batches = KeyedRecords.batches(f.log);
            assertEquals(3, batches.size(), batches.toString());
            KeyedRecords.BatchView empty = batches.get(0);
            assertEquals(0, empty.records());
            assertEquals(7, empty.producerId());
            assertEquals(0, empty.baseOffset());
            assertEquals(0, empty.lastOffset());
            assertEquals(2, batches.get(1).baseOffset(), "producer 8's first batch went: it is not its last");
            assertEquals("from 8, second", batches.get(1).contents().get(0).value());

            // Producer state rebuilt from the log alone still knows producer 7's last sequence.
            f.log.close();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path snapshot : files.filter(p -> p.toString().endsWith(".snapshot")).toList()) {
                    Files.delete(snapshot);
                }
            }
            f.open(config);
            AppendResult retry = f.log.appendAsLeader(producerBatch(7, 0, NOW, "k", "from 7"), 0);
            assertTrue(retry.duplicate(), "a retry of the compacted batch is still recognised");
            assertEquals(0, retry.firstOffset());
            assertFalse(f.log.appendAsLeader(producerBatch(7, 1, NOW, "k", "from 7 again"), 0).duplicate());
        }
    }

    @Test
    void aTransactionMarkerStaysWhileItsTransactionHasDataThenAsLongAsATombstone() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            long t = NOW;
            follow(f, KafkaRecords.batchBuilder().baseOffset(0).producer(9, (short) 0, 0).transactional(true)
                    .add(t, "t", "in transaction 9"));
            follow(f, marker(1, 9, t + 100));
            follow(f, KafkaRecords.batchBuilder().baseOffset(2).add(t + 200, "t", "plain, later"));
            follow(f, KafkaRecords.batchBuilder().baseOffset(3).producer(10, (short) 0, 0).transactional(true)
                    .add(t + 300, "u", "in transaction 10"));
            follow(f, marker(4, 10, t + 400));
            follow(f, KafkaRecords.batchBuilder().baseOffset(5).add(t + 500, "z", "active"));
            f.log.updateHighWatermark(f.log.logEndOffset());

            assertTrue(f.cleaner.cleanOnce());
            List<KeyedRecords.BatchView> batches = KeyedRecords.batches(f.log);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), batches.stream().map(KeyedRecords.BatchView::baseOffset).toList());
            assertEquals(0, batches.get(0).records(), "producer 9's last data batch stays, empty");
            assertTrue(batches.get(1).control(), "transaction 9's marker stays until delete.retention.ms");
            assertTrue(batches.get(4).control());

            f.time.advance(HOUR);
            assertTrue(f.cleaner.cleanOnce());
            batches = KeyedRecords.batches(f.log);
            assertEquals(List.of(0L, 2L, 3L, 4L, 5L), batches.stream().map(KeyedRecords.BatchView::baseOffset).toList(),
                    "transaction 9's marker went; transaction 10 still has data, so its marker stays");
            assertTrue(batches.get(3).control());
        }
    }

    @Test
    void recordsOfAbortedTransactionsAreRemovedAndShadowNothing() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            long t = NOW;
            follow(f, KafkaRecords.batchBuilder().baseOffset(0).add(t, "a", "committed"));
            follow(f, KafkaRecords.batchBuilder().baseOffset(1).producer(9, (short) 0, 0).transactional(true)
                    .add(t + 100, "a", "aborted").add(t + 100, "b", "aborted too"));
            ByteBuffer abort = KafkaRecords.transactionMarkerBatch(9, (short) 0,
                    new io.millrace.wire.batch.TransactionMarker(false, 0), t + 200);
            abort.putLong(0, 3);
            follow(f, abort);
            follow(f, KafkaRecords.batchBuilder().baseOffset(4).add(t + 300, "c", "plain"));
            follow(f, KafkaRecords.batchBuilder().baseOffset(5).add(t + 400, "z", "active"));
            f.log.updateHighWatermark(f.log.logEndOffset());
            assertEquals(1, f.log.abortedTransactions(0, 6).size());

            assertTrue(f.cleaner.cleanOnce());
            List<KeyedRecords.Rec> records = KeyedRecords.records(f.log);
            assertEquals(List.of(0L, 3L, 4L, 5L), records.stream().map(KeyedRecords.Rec::offset).toList(),
                    "the aborted records went; the committed \"a\" stays; the marker stays until its horizon");
            assertEquals("committed", records.get(0).value());
        }
    }

    /** A commit marker as a transaction coordinator would have it written (base sequence -1). */
    private static ByteBuffer marker(long offset, long producerId, long timestamp) {
        ByteBuffer batch = KafkaRecords.batchBuilder().baseOffset(offset).producer(producerId, (short) 0, 0)
                .transactional(true).control(true).add(timestamp, MARKER_KEY, new byte[] {0, 0, 0, 0, 0, 0}).build();
        batch.putInt(RecordBatchHeader.BASE_SEQUENCE_OFFSET, -1);
        new RecordBatchHeader().wrap(batch, 0).updateCrc();
        return batch;
    }

    private static void follow(CompactedLogFixture f, KafkaRecords.BatchBuilder batch) {
        follow(f, batch.build());
    }

    private static void follow(CompactedLogFixture f, ByteBuffer batch) {
        f.log.appendAsFollower(batch);
    }
}

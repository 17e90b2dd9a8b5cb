package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.TransactionMarker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactional batches and COMMIT/ABORT markers: the LSO, the aborted-transaction index, recovery, truncation. */
class PartitionLogTransactionsTest {
    private static final TopicPartition TP = new TopicPartition("txn", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final TransactionMarker COMMIT = new TransactionMarker(true, 0);
    private static final TransactionMarker ABORT = new TransactionMarker(false, 0);

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private final LogConfig config = TestConfigs.defaults().segmentBytes(2_000).build();
    private PartitionLog log;

    private PartitionLog open(Path dir, boolean clean) {
        log = PartitionLog.open(dir, TP, Uuid.ZERO_UUID, config, time, clean);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    static ByteBuffer transactional(long producerId, int sequence, int count) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().producer(producerId, (short) 0, sequence)
                .transactional(true);
        for (int i = 0; i < count; i++) {
            builder.add(NOW, "k" + i, "p" + producerId + "-" + (sequence + i));
        }
        return builder.build();
    }

    private void commitAll() {
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void theLastStableOffsetStaysAtTheOldestOpenTransactionUntilItsMarkerIsReplicated() {
        open(root.resolve("txn-0"), true);
        log.appendAsLeader(Batches.records(2, NOW), 0);                 // 0-1
        log.appendAsLeader(transactional(1, 0, 3), 0);                   // 2-4, opens producer 1's transaction
        log.appendAsLeader(transactional(2, 0, 2), 0);                   // 5-6, opens producer 2's
        commitAll();
        assertEquals(7, log.highWatermark());
        assertEquals(2, log.lastStableOffset());

        assertEquals(7, log.appendTransactionMarker(1, (short) 0, COMMIT, 0).firstOffset());
        assertEquals(2, log.lastStableOffset(), "the commit marker is not below the high watermark yet");
        commitAll();
        assertEquals(5, log.lastStableOffset(), "producer 2's transaction is still open");
        log.appendTransactionMarker(2, (short) 0, ABORT, 0);             // 8
        assertEquals(5, log.lastStableOffset(), "the abort marker is not below the high watermark yet");
        commitAll();
        assertEquals(9, log.lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(2, 5, 8, 9)), log.abortedTransactions(0, 9));
    }

    @Test
    void readCommittedReadsStopAtTheLastStableOffsetAndListOverlappingAborts() {
        open(root.resolve("txn-0"), true);
        log.appendAsLeader(transactional(1, 0, 2), 0);                   // 0-1
        log.appendTransactionMarker(1, (short) 0, ABORT, 0);             // 2
        log.appendAsLeader(transactional(1, 2, 2), 0);                   // 3-4
        log.appendAsLeader(transactional(3, 0, 1), 0);                   // 5
        log.appendTransactionMarker(1, (short) 0, COMMIT, 0);            // 6
        commitAll();
        long lso = log.lastStableOffset();
        assertEquals(5, lso, "producer 3's transaction is open");

        ReadResult committed = log.read(0, 1 << 20, lso, false);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), Batches.offsetsIn(committed.records()),
                "the batches below the LSO, the abort marker at 2 included (consumers skip it)");
        assertEquals(List.of(new AbortedTransaction(1, 0, 2, 3)), log.abortedTransactions(0, lso));
        assertEquals(List.of(), log.abortedTransactions(3, lso), "the abort ended before offset 3");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), Batches.offsetsIn(log.read(0, 1 << 20, log.highWatermark(), false)
                .records()), "read_uncommitted reads to the high watermark");
    }

    @Test
    void markersFromAnOlderProducerEpochOrCoordinatorEpochAreRejected() {
        open(root.resolve("txn-0"), true);
        log.appendAsLeader(KafkaRecords.batchBuilder().producer(4, (short) 3, 0).transactional(true)
                .add(NOW, "k", "v").build(), 0);
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendTransactionMarker(4, (short) 2, COMMIT, 0));
        log.appendTransactionMarker(4, (short) 3, new TransactionMarker(true, 5), 0);
        assertThrows(TransactionCoordinatorFencedException.class,
                () -> log.appendTransactionMarker(4, (short) 3, new TransactionMarker(false, 4), 0));
        assertEquals(2, log.logEndOffset(), "rejected markers take no offset");
    }

    @Test
    void recoveryAfterACrashRebuildsTheTransactionStateAndTheAbortedIndex() throws Exception {
        Path dir = root.resolve("live").resolve("txn-0");
        open(dir, true);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(Batches.records(3, NOW + i), 0);         // several segments
        }
        log.appendAsLeader(transactional(1, 0, 2), 0);                   // 90-91
        log.appendTransactionMarker(1, (short) 0, ABORT, 0);             // 92
        log.appendAsLeader(transactional(2, 0, 2), 0);                   // 93-94, stays open
        commitAll();
        assertEquals(93, log.lastStableOffset());
        Path crashed = root.resolve("crashed").resolve("txn-0");
        Batches.copyAsCrashed(dir, crashed);
        log.close();

        try (Stream<Path> files = Files.list(crashed)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".snapshot")
                    || f.toString().endsWith(".txnindex")).toList()) {
                Files.delete(file); // nothing to lean on: replay the whole log
            }
        }
        open(crashed, false);
        assertEquals(95, log.logEndOffset());
        assertEquals(93, log.lastStableOffset(), "producer 2's transaction is open again");
        assertEquals(List.of(new AbortedTransaction(1, 90, 92, 93)), log.abortedTransactions(0, 95));
        log.appendTransactionMarker(2, (short) 0, COMMIT, 0);
        commitAll();
        assertEquals(96, log.lastStableOffset());

        log.close();                                                       // snapshot v2 with no open transaction
        open(crashed, true);
        assertEquals(96, log.lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(1, 90, 92, 93)), log.abortedTransactions(0, 96));
    }

    @Test
    void anOpenTransactionSurvivesACleanRestartThroughTheSnapshot() {
        Path dir = root.resolve("txn-0");
        open(dir, true);
        log.appendAsLeader(transactional(1, 0, 2), 0);
        commitAll();
        log.close();
        open(dir, true);
        assertEquals(0, log.lastStableOffset());
        log.appendTransactionMarker(1, (short) 0, ABORT, 0);
        commitAll();
        assertEquals(3, log.lastStableOffset());
    }

    @Test
    void truncationRemovesAbortedIndexEntriesAndReopensTheTransaction() {
        open(root.resolve("txn-0"), true);
        log.appendAsFollower(KafkaRecords.batchBuilder().baseOffset(0).producer(1, (short) 0, 0).transactional(true)
                .add(NOW, "k", "v").add(NOW, "k", "w").build());                           // 0-1
        log.appendAsFollower(withOffset(KafkaRecords.transactionMarkerBatch(1, (short) 0, ABORT, NOW), 2));
        log.updateHighWatermark(1);
        assertEquals(List.of(new AbortedTransaction(1, 0, 2, 3)), log.abortedTransactions(0, 3));

        log.truncateTo(2);
        assertTrue(log.abortedTransactions(0, 3).isEmpty());
        assertEquals(0, log.lastStableOffset(), "the transaction is open again");
        log.appendAsFollower(withOffset(KafkaRecords.transactionMarkerBatch(1, (short) 0, COMMIT, NOW), 2));
        log.updateHighWatermark(3);
        assertEquals(3, log.lastStableOffset());
        assertTrue(log.abortedTransactions(0, 3).isEmpty());
    }

    @Test
    void aFollowerCopyingTheLeaderHasTheSameTransactionsAndAbortedIndex() {
        open(root.resolve("leader"), true);
        PartitionLog leader = log;
        leader.appendAsLeader(transactional(1, 0, 2), 0);
        leader.appendAsLeader(transactional(2, 0, 1), 0);
        leader.appendTransactionMarker(1, (short) 0, ABORT, 0);
        leader.appendAsLeader(transactional(1, 2, 1), 0);
        try (PartitionLog follower = PartitionLog.open(root.resolve("follower"), TP, Uuid.ZERO_UUID, config, time,
                true)) {
            follower.appendAsFollower(leader.read(0, 1 << 20, Long.MAX_VALUE, true).records());
            follower.updateHighWatermark(follower.logEndOffset());
            commitAll();
            assertEquals(leader.lastStableOffset(), follower.lastStableOffset());
            assertEquals(2, follower.lastStableOffset(), "producer 2's transaction is open on both");
            assertEquals(leader.abortedTransactions(0, 5), follower.abortedTransactions(0, 5));
            assertEquals(List.of(new AbortedTransaction(1, 0, 3, 2)), follower.abortedTransactions(0, 5));
        }
    }

    @Test
    void aNonTransactionalBatchDuringTheProducersOpenTransactionIsRejected() {
        open(root.resolve("txn-0"), true);
        log.appendAsLeader(transactional(1, 0, 1), 0);
        assertThrows(org.apache.kafka.common.errors.InvalidTxnStateException.class,
                () -> log.appendAsLeader(Batches.idempotent(1, (short) 0, 1, 1, NOW), 0));
    }

    private static ByteBuffer withOffset(ByteBuffer batch, long offset) {
        batch.putLong(0, offset);
        return batch;
    }
}

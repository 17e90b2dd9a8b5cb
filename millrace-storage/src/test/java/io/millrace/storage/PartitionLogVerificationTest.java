package io.millrace.storage;

import static io.millrace.storage.PartitionLogTransactionsTest.transactional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.TransactionMarker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactional appends held to their KIP-890 verification ({@link VerificationGuard}). */
class PartitionLogVerificationTest {
    private static final TopicPartition TP = new TopicPartition("verified", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final TransactionMarker ABORT = new TransactionMarker(false, 0);

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private PartitionLog log;

    @BeforeEach
    void open() {
        log = PartitionLog.open(root.resolve("verified-0"), TP, Uuid.ZERO_UUID, TestConfigs.defaults().build(), time,
                true);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private AppendResult append(ByteBuffer batch, VerificationGuard guard) {
        return log.appendAsLeader(batch, 0, AppendOrigin.CLIENT, guard);
    }

    @Test
    void aVerifiedBatchBeginsItsTransactionAndLaterBatchesNeedNoGuard() {
        VerificationGuard guard = log.startTransactionVerification(1, (short) 0, false);
        assertSame(guard, log.startTransactionVerification(1, (short) 0, false), "a second check joins the first");
        assertEquals(0, append(transactional(1, 0, 2), guard).firstOffset());
        assertSame(VerificationGuard.NONE, log.startTransactionVerification(1, (short) 0, false), "the transaction is open");
        assertEquals(2, append(transactional(1, 2, 1), VerificationGuard.NONE).firstOffset());
        assertEquals(3, append(transactional(1, 3, 1), guard).firstOffset(), "an older guard is fine while it is open");
    }

    @Test
    void aVerifiedBatchDelayedPastItsTransactionsMarkerIsRefused() {
        VerificationGuard verified = log.startTransactionVerification(1, (short) 0, false);
        // The coordinator added the partition, then aborted the transaction (a timeout) before the batch landed.
        log.appendTransactionMarker(1, (short) 0, ABORT, 0);
        long end = log.logEndOffset();
        assertThrows(InvalidTxnStateException.class, () -> append(transactional(1, 0, 1), verified));
        assertThrows(InvalidTxnStateException.class, () -> append(transactional(1, 0, 1), VerificationGuard.NONE));
        assertEquals(end, log.logEndOffset(), "nothing written: no hanging transaction");
        log.updateHighWatermark(log.logEndOffset());
        assertEquals(log.logEndOffset(), log.lastStableOffset());

        VerificationGuard fresh = log.startTransactionVerification(1, (short) 0, false);
        assertNotSame(verified, fresh);
        assertEquals(end, append(transactional(1, 0, 1), fresh).firstOffset(), "verified again, it is written");
    }

    @Test
    void atVersionTwoThePreviousTransactionsMarkerLeavesTheNextOnesVerificationAlone() {
        append(batch(1, (short) 0, 0), log.startTransactionVerification(1, (short) 0, true));
        // EndTxn bumped the epoch to 1: the next transaction is verified at 1 while the marker, also at 1, is on its way.
        VerificationGuard next = log.startTransactionVerification(1, (short) 1, true);
        log.appendTransactionMarker(1, (short) 1, new TransactionMarker(true, 0), 0);
        long first = log.logEndOffset();
        assertEquals(first, append(batch(1, (short) 1, 0), next).firstOffset());
    }

    private static ByteBuffer batch(long producerId, short epoch, int sequence) {
        return KafkaRecords.batchBuilder().producer(producerId, epoch, sequence).transactional(true)
                .add(NOW, "k", "v" + sequence).build();
    }

    @Test
    void withoutAVerificationOnlyUncheckedAppendsBeginATransaction() {
        assertThrows(InvalidTxnStateException.class, () -> append(transactional(1, 0, 1), VerificationGuard.NONE));
        VerificationGuard otherProducers = log.startTransactionVerification(2, (short) 0, false);
        assertThrows(InvalidTxnStateException.class, () -> append(transactional(1, 0, 1), otherProducers));
        assertEquals(0, append(transactional(1, 0, 1), VerificationGuard.UNCHECKED).firstOffset());
        assertEquals(1, log.appendAsLeader(Batches.records(1, NOW), 0).firstOffset(), "non-transactional: unchecked");
    }

    @Test
    void abandonedVerificationsExpireWithIdleProducers() {
        VerificationGuard guard = log.startTransactionVerification(1, (short) 0, false);
        time.advance(1_000);
        log.removeExpiredProducers(1_000);
        assertThrows(InvalidTxnStateException.class, () -> append(transactional(1, 0, 1), guard));
        assertTrue(log.logEndOffset() == 0);
    }
}

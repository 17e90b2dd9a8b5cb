package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.TransactionMarker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer state as DescribeProducers sees it, producer expiry, and a coordinator's transactional appends. */
class PartitionLogProducersTest {
    private static final TopicPartition TP = new TopicPartition("producers", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private PartitionLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private PartitionLog open() {
        log = PartitionLog.open(root.resolve("producers-0"), TP, Uuid.ZERO_UUID, TestConfigs.defaults().build(), time,
                true);
        return log;
    }

    private static ByteBuffer coordinatorBatch(long producerId, short epoch) {
        return KafkaRecords.batchBuilder().producer(producerId, epoch, 0)
                .transactional(true).add(NOW, "key", "offset").build();
    }

    private List<ActiveProducer> producers() {
        return log.activeProducers().stream().sorted(Comparator.comparingLong(ActiveProducer::producerId)).toList();
    }

    @Test
    void describesIdempotentAndTransactionalProducers() {
        open();
        log.appendAsLeader(Batches.idempotent(7, (short) 2, 0, 3, NOW), 0);                        // 0-2
        log.appendAsLeader(PartitionLogTransactionsTest.transactional(8, 0, 2), 0);                 // 3-4
        assertEquals(List.of(new ActiveProducer(7, (short) 2, 2, NOW, -1, -1),
                new ActiveProducer(8, (short) 0, 1, NOW, -1, 3)), producers());
        log.appendTransactionMarker(8, (short) 0, new TransactionMarker(true, 5), 0);
        assertEquals(new ActiveProducer(8, (short) 0, 1, NOW, 5, -1), producers().get(1));
    }

    @Test
    void idleProducersWithoutAnOpenTransactionExpire() {
        open();
        log.appendAsLeader(Batches.idempotent(7, (short) 0, 0, 1, NOW), 0);
        log.appendAsLeader(PartitionLogTransactionsTest.transactional(8, 0, 1), 0);
        time.advance(DAY - 1);
        assertEquals(0, log.removeExpiredProducers(DAY));
        time.advance(1);
        assertEquals(1, log.removeExpiredProducers(DAY), "the transactional producer's transaction is open");
        assertEquals(List.of(8L), producers().stream().map(ActiveProducer::producerId).toList());
        // An expired producer writing again is accepted at its next sequence, as Kafka does.
        assertEquals(2, log.appendAsLeader(Batches.idempotent(7, (short) 0, 1, 1, NOW + DAY), 0).firstOffset());
    }

    @Test
    void logManagerExpiresProducersOnItsRetentionThread() throws Exception {
        try (LogManager manager = new LogManager(List.of(root.resolve("dir")), time, 60_000, 1_000,
                new CleanerConfig(false, 0, 0, 0.9, 0, Double.MAX_VALUE, 15_000), ProducerExpiration.fixed(DAY, 1_000))) {
            PartitionLog managed = manager.getOrCreate(TP, Uuid.ZERO_UUID, TestConfigs.defaults().build());
            managed.appendAsLeader(Batches.idempotent(7, (short) 0, 0, 1, NOW), 0);
            time.advance(DAY);
            manager.removeExpiredProducers();
            assertEquals(List.of(), managed.activeProducers());
        }
    }

    @Test
    void aCoordinatorWritesTransactionalBatchesWithoutSequencesButItsEpochIsChecked() {
        open();
        assertEquals(0, log.appendAsLeader(coordinatorBatch(9, (short) 1), 0, AppendOrigin.COORDINATOR).firstOffset());
        // The same batch again is a second commit, not a retry.
        AppendResult again = log.appendAsLeader(coordinatorBatch(9, (short) 1), 0, AppendOrigin.COORDINATOR);
        assertEquals(1, again.firstOffset());
        assertFalse(again.duplicate());
        assertEquals(0, producers().get(0).currentTxnStartOffset());
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendAsLeader(coordinatorBatch(9, (short) 0), 0, AppendOrigin.COORDINATOR));
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9 section 4, the cluster case: three nodes, topics of replication factor 3 with
 * {@code min.insync.replicas=2}, {@code __transaction_state} of replication factor 3. A
 * consume-transform-produce loop ({@link TransactionalCopier}) copies numbered records from an
 * input topic to an output topic while a second producer of the same transactional id fences it
 * (a zombie's successor), then the node coordinating its transactional id and then
 * the leader of an output partition are killed (SIGKILL) and restarted. The loop recovers as an
 * application does (abort or a new producer, rewind to the committed offsets), and aborts every
 * seventh transaction on purpose besides; afterwards the
 * output read with read_committed holds every input value exactly once and the group's committed
 * offsets are at the end of the input.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionFailoverIT extends ClusterTest {
    private static final String INPUT = "txn-in";
    private static final String OUTPUT = "txn-out";
    private static final String GROUP = "txn-copier";
    private static final String TRANSACTIONAL_ID = "txn-copier-1";
    private static final int PARTITIONS = 3;
    private static final int PER_PHASE = 1_000;
    private static final int PHASES = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    TransactionalCopier copier;

    @AfterEach
    void stopCopier() throws InterruptedException {
        if (copier != null) {
            copier.close();
        }
    }

    @Test
    void copiesExactlyOnceThroughCoordinatorAndLeaderDeaths() throws Exception {
        startCluster(3);
        Admin admin = cluster.admin();
        Map<String, String> minIsr2 = Map.of("min.insync.replicas", "2");
        cluster.createTopic(admin, INPUT, PARTITIONS, 3, minIsr2);
        cluster.createTopic(admin, OUTPUT, PARTITIONS, 3, minIsr2);
        long started = System.nanoTime();

        produceInput(0, PER_PHASE);
        copier = new TransactionalCopier(cluster.bootstrapServers(), INPUT, OUTPUT, GROUP, TRANSACTIONAL_ID,
                20, Duration.ofMillis(10)).start();
        Await.until("the copier committed 300 records", TIMEOUT, () -> copier.committedRecords.get() >= 300);

        // Another producer of the same transactional id fences the copier's, which must replace it.
        try (KafkaProducer<String, String> successor = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID))) {
            successor.initTransactions();
        }
        produceInput(PER_PHASE, 2 * PER_PHASE); // so the copier has work and meets the fence
        Await.until("the fenced copier replaced its producer", TIMEOUT, () -> copier.replacedProducers.get() >= 1);
        long atFencing = copier.committedRecords.get();
        Await.until("the copier committed 200 more records", TIMEOUT,
                () -> copier.committedRecords.get() >= atFencing + 200);

        int coordinator = transactionCoordinator(admin);
        long atFirstKill = copier.committedRecords.get();
        cluster.kill9(coordinator);
        produceInput(2 * PER_PHASE, 3 * PER_PHASE);
        cluster.start(coordinator);
        produceInput(3 * PER_PHASE, PHASES * PER_PHASE);
        Await.until("the copier committed 3,200 records", TIMEOUT, () -> copier.committedRecords.get() >= 3_200);

        int leader = cluster.leaderOf(admin, OUTPUT, 0);
        long atSecondKill = copier.committedRecords.get();
        cluster.kill9(leader);
        cluster.start(leader);

        Await.until("the group's committed offsets reach the end of the input", TIMEOUT,
                () -> committedTotal(admin) == (long) PHASES * PER_PHASE);
        System.out.println("TransactionFailoverIT: coordinator node " + coordinator + " and " + OUTPUT
                + "-0 leader node " + leader + " killed (with " + atFirstKill + " and " + atSecondKill
                + " of " + PHASES * PER_PHASE + " records copied); " + copier.deliberateAborts.get() + " deliberate aborts, "
                + copier.replacedProducers.get() + " producers replaced, "
                + copier.recoveries.get() + " recoveries, last failure "
                + copier.lastFailure.get() + "; done in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        copier.close();
        assertNull(copier.fatal.get(), "the copier stopped on an unrecoverable failure");

        List<String> out = readCommittedOutput(admin);
        Set<String> expected = new HashSet<>();
        for (int n = 0; n < PHASES * PER_PHASE; n++) {
            expected.add("v" + n);
        }
        assertEquals(expected, new HashSet<>(out), "every input value in the committed output");
        assertEquals(PHASES * PER_PHASE, out.size(), "no input value copied twice");
    }

    /** The node coordinating {@link #TRANSACTIONAL_ID}, as DescribeTransactions (FindCoordinator) names it. */
    private static int transactionCoordinator(Admin admin) {
        TransactionDescription description = Clients.get(
                admin.describeTransactions(List.of(TRANSACTIONAL_ID)).description(TRANSACTIONAL_ID));
        return description.coordinatorId();
    }

    private static long committedTotal(Admin admin) {
        Map<TopicPartition, OffsetAndMetadata> committed = Clients.get(
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
        return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Values n in [from, to) as "v" + n, round-robin over the input partitions, acks=all. */
    private void produceInput(int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of("delivery.timeout.ms", 60_000, "request.timeout.ms", 10_000))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int n = from; n < to; n++) {
                acks.add(producer.send(new ProducerRecord<>(INPUT, n % PARTITIONS, "k" + n, "v" + n)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(70, TimeUnit.SECONDS);
            }
        }
    }

    /** Every output partition read with read_committed up to its last stable offset. */
    private List<String> readCommittedOutput(Admin admin) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(OUTPUT, p);
                long stable = Clients.get(admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                        new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .partitionResult(tp)).offset();
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                for (ConsumerRecord<String, String> r : Clients.pollUntil(consumer, tp, stable)) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 section 4 on one node, with kafka-clients' transactional producer: commit and abort
 * seen by read_committed and read_uncommitted consumers, the consume-transform-produce loop with
 * {@code sendOffsetsToTransaction}, and zombie fencing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionsIT {
    @TempDir
    Path dataDir;
    InProcessBroker broker;
    Admin admin;

    @BeforeEach
    void startBroker() {
        // the copier's group forms without the initial rebalance delay (3 s)
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterEach
    void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void readCommittedSeesOnlyCommittedRecords() {
        Clients.createTopic(admin, "tx-orders", 1, Map.of());
        try (KafkaProducer<String, String> producer = transactional("tx-1")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-orders", "k", "committed-1"));
            producer.send(new ProducerRecord<>("tx-orders", "k", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-orders", "k", "aborted-1"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-orders", "k", "committed-3"));
            producer.commitTransaction();
        }
        TopicPartition tp = new TopicPartition("tx-orders", 0);
        assertEquals(List.of("committed-1", "committed-2", "committed-3"), values(read(tp, "read_committed", 3)));
        assertEquals(List.of("committed-1", "committed-2", "aborted-1", "committed-3"),
                values(read(tp, "read_uncommitted", 4)));
    }

    @Test
    void consumeTransformProduceCopiesExactlyOnceWithAborts() throws Exception {
        Clients.createTopic(admin, "tx-in", 2, Map.of());
        Clients.createTopic(admin, "tx-out", 2, Map.of());
        int count = 400;
        try (KafkaProducer<String, String> plain = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                plain.send(new ProducerRecord<>("tx-in", i % 2, "k" + i, "v" + i));
            }
            plain.flush();
        }
        int rounds = 0;
        int copied = 0;
        try (KafkaProducer<String, String> producer = transactional("copier");
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), Map.of(
                     ConsumerConfig.GROUP_ID_CONFIG, "copier-group",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 37))) {
            producer.initTransactions();
            consumer.subscribe(List.of("tx-in"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (copied < count && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                for (ConsumerRecord<String, String> r : records) {
                    producer.send(new ProducerRecord<>("tx-out", r.partition(), r.key(), r.value()));
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, String>> of = records.records(tp);
                    offsets.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                if (++rounds % 3 == 0) {
                    // abort, and rewind to the committed offsets so the same records are copied again
                    producer.abortTransaction();
                    for (TopicPartition tp : records.partitions()) {
                        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
                        consumer.seek(tp, committed == null ? 0 : committed.offset());
                    }
                } else {
                    producer.commitTransaction();
                    copied += records.count();
                }
            }
        }
        assertEquals(count, copied, "every input record copied in a committed transaction");
        List<String> out = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            out.addAll(values(read(new TopicPartition("tx-out", p), "read_committed", count / 2)));
        }
        assertEquals(count, out.size(), "read_committed output: " + out.size());
        assertEquals(count, new java.util.HashSet<>(out).size(), "no value copied twice");
    }

    @Test
    void aSecondProducerWithTheSameIdFencesTheFirst() {
        Clients.createTopic(admin, "tx-fence", 1, Map.of());
        KafkaProducer<String, String> zombie = transactional("fenced-id");
        try (KafkaProducer<String, String> successor = transactional("fenced-id")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("tx-fence", "k", "zombie-open"));
            zombie.flush();

            successor.initTransactions(); // aborts the zombie's open transaction and bumps the epoch
            successor.beginTransaction();
            successor.send(new ProducerRecord<>("tx-fence", "k", "successor"));
            successor.commitTransaction();

            zombie.send(new ProducerRecord<>("tx-fence", "k", "zombie-late"));
            Exception failure = assertThrows(Exception.class, zombie::commitTransaction);
            assertTrue(causedBy(failure, ProducerFencedException.class)
                            || causedBy(failure, org.apache.kafka.common.errors.InvalidProducerEpochException.class),
                    "the zombie is fenced: " + failure);
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertEquals(List.of("successor"), values(read(new TopicPartition("tx-fence", 0), "read_committed", 1)));
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        return Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    }

    /** Reads {@code partition} from the start until {@code expected} records came (and a moment more). */
    private List<ConsumerRecord<String, String>> read(TopicPartition tp, String isolation, int expected) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                got.addAll(records.records(tp));
                if (got.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                }
            }
            return got;
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

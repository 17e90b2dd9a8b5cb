package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic written by a transactional producer, committed and aborted transactions
 * alternating over the same keys (the last one aborted): once the log cleaner has run, no aborted
 * record is left even for read_uncommitted, and read_committed sees exactly the latest committed
 * value of each key; so it does after a restart that rebuilds producer state from the cleaned log
 * alone (snapshots deleted): no transaction is left open. An open transaction's record does not
 * shadow the committed value of its key while the cleaner runs, and is removed once aborted.
 *
 * <p>Segments roll by segment.ms, so each transaction starts a segment of its own, and filler
 * records (key {@code filler}, not transactional) keep rolling segments while the test polls.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionalCompactionIT {
    private static final String TOPIC = "compacted-txn";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int KEYS = 5;
    private static final int ROUNDS = 4;
    private static final int LAST_COMMITTED_ROUND = 2;
    private static final Duration COMPACTION_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    InProcessBroker broker;

    @AfterEach
    void stop() {
        Clients.closeAll(broker);
    }

    @Test
    void afterCleaningNoAbortedRecordRemainsAndReadCommittedSeesTheLatestCommittedValues() throws Exception {
        broker = InProcessBroker.start(dataDir, Map.of("log.cleaner.backoff.ms", "100",
                "transaction.state.log.num.partitions", "1"));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of("cleanup.policy", "compact", "segment.ms", "100",
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1000", "file.delete.delay.ms", "1000"));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compacting-txn"))) {
            producer.initTransactions();
            for (int round = 0; round < ROUNDS; round++) {
                producer.beginTransaction();
                for (int k = 0; k < KEYS; k++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + k, "key-" + k + "@" + round));
                }
                producer.flush();
                if (round % 2 == 0) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
                Thread.sleep(150); // past segment.ms: the next transaction starts a new segment
            }
        }

        Map<String, String> expected = new TreeMap<>();
        for (int k = 0; k < KEYS; k++) {
            expected.put("key-" + k, "key-" + k + "@" + LAST_COMMITTED_ROUND);
        }
        try (KafkaProducer<String, String> filler = Clients.producer(broker.bootstrap())) {
            long deadline = System.nanoTime() + COMPACTION_WAIT.toNanos();
            List<ConsumerRecord<String, String>> uncommitted = read("read_uncommitted");
            while (!expected.equals(latest(uncommitted)) || uncommitted.stream().filter(r -> !isFiller(r)).count() != KEYS) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Not cleaned after " + COMPACTION_WAIT + ": " + uncommitted.stream()
                            .filter(r -> !isFiller(r)).map(r -> r.offset() + "=" + r.value()).toList());
                }
                filler.send(new ProducerRecord<>(TOPIC, 0, "filler", "rolls a segment")).get(30, TimeUnit.SECONDS);
                Thread.sleep(200);
                uncommitted = read("read_uncommitted");
            }
        }
        List<ConsumerRecord<String, String>> committed = read("read_committed");
        assertEquals(expected, latest(committed));
        assertEquals(KEYS, committed.stream().filter(r -> !isFiller(r)).count(), "one record a key");

        // More cleanings past delete.retention.ms may drop markers whose transactions left no data;
        // then producer state rebuilt from the cleaned log alone (no snapshot) must find no
        // transaction open, or the last stable offset would stay behind for good.
        try (KafkaProducer<String, String> filler = Clients.producer(broker.bootstrap())) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            while (System.nanoTime() < until) {
                filler.send(new ProducerRecord<>(TOPIC, 0, "filler", "rolls a segment")).get(30, TimeUnit.SECONDS);
                Thread.sleep(200);
            }
        }
        broker.stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path snapshot : files.filter(f -> f.toString().endsWith(".snapshot")
                    && f.getParent().getFileName().toString().equals(TOPIC + "-0")).toList()) {
                Files.delete(snapshot);
            }
        }
        broker.restart();
        assertEquals(end("read_uncommitted"), end("read_committed"), "no transaction open after the rebuild");
        List<ConsumerRecord<String, String>> rebuilt = read("read_committed");
        assertEquals(expected, latest(rebuilt));
        assertEquals(KEYS, rebuilt.stream().filter(r -> !isFiller(r)).count());
    }

    @Test
    void theCleanerLeavesAnOpenTransactionAndWhatItWouldShadowAlone() throws Exception {
        broker = InProcessBroker.start(dataDir, Map.of("log.cleaner.backoff.ms", "100",
                "transaction.state.log.num.partitions", "1"));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of("cleanup.policy", "compact", "segment.ms", "100",
                    "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1000", "file.delete.delay.ms", "1000"));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "open-while-cleaning"));
             KafkaProducer<String, String> filler = Clients.producer(broker.bootstrap())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "key-0", "committed"));
            producer.commitTransaction();
            Thread.sleep(150); // past segment.ms
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "key-0", "open")).get(30, TimeUnit.SECONDS);
            // cleanings while the transaction is open must not let "open" shadow "committed"
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
            while (System.nanoTime() < until) {
                filler.send(new ProducerRecord<>(TOPIC, 0, "filler", "rolls a segment")).get(30, TimeUnit.SECONDS);
                Thread.sleep(200);
            }
            producer.abortTransaction();

            long deadline = System.nanoTime() + COMPACTION_WAIT.toNanos();
            while (read("read_uncommitted").stream().anyMatch(r -> "open".equals(r.value()))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("The aborted record was not cleaned after " + COMPACTION_WAIT);
                }
                filler.send(new ProducerRecord<>(TOPIC, 0, "filler", "rolls a segment")).get(30, TimeUnit.SECONDS);
                Thread.sleep(200);
            }
        }
        assertEquals(Map.of("key-0", "committed"), latest(read("read_committed")));
        assertEquals(Map.of("key-0", "committed"), latest(read("read_uncommitted")));
    }

    private long end(String isolation) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            return consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
        }
    }

    private static boolean isFiller(ConsumerRecord<String, String> record) {
        return record.key().equals("filler");
    }

    private static Map<String, String> latest(List<ConsumerRecord<String, String>> records) {
        Map<String, String> latest = new TreeMap<>();
        records.stream().filter(r -> !isFiller(r)).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private List<ConsumerRecord<String, String>> read(String isolation) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(TP));
            long end = consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
            consumer.seekToBeginning(List.of(TP));
            return Clients.pollUntil(consumer, TP, end);
        }
    }
}

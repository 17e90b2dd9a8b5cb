package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * cleanup.policy=compact end to end with kafka-clients: after the log cleaner has run, a consumer
 * reading from the beginning sees the latest value of each key at the offset the producer was
 * given for it, and no tombstone once delete.retention.ms has passed; a keyless record is refused
 * with INVALID_RECORD.
 *
 * <p>Segments roll by segment.ms (segment.bytes cannot go below 1 MiB): a record sent more than
 * segment.ms after a segment's first one starts a new segment, so the test keeps sending filler
 * records of their own key while it waits for the cleaner.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompactionIT {
    private static final String TOPIC = "compacted";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int KEYS = 10;
    private static final int ROUNDS = 5;
    private static final int DELETED_KEYS = 3;
    private static final Duration COMPACTION_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("log.cleaner.backoff.ms", "100"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void compactionKeepsTheLatestValueOfEachKeyAtItsOffsetAndDropsTombstones() throws Exception {
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("log-cleaner-")),
                "The broker started no log-cleaner thread: Broker must build its LogManager with "
                        + "CleanerConfig.from(config) (new LogManager(logDirs, Time.SYSTEM, "
                        + "config.logRetentionCheckIntervalMs(), CleanerConfig.from(config)))");
        Clients.createTopic(admin, TOPIC, 1, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01",
                "delete.retention.ms", "1000",
                "file.delete.delay.ms", "1000"));

        Map<String, Long> latestOffset = new LinkedHashMap<>();
        Map<String, String> latestValue = new HashMap<>();
        Map<Long, String> acknowledged = new HashMap<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    String value = round == ROUNDS - 1 && k < DELETED_KEYS ? null : key + "@round-" + round;
                    sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, key, value)));
                    keys.add(key);
                    latestValue.put(key, value);
                }
                for (int i = 0; i < sent.size(); i++) {
                    long offset = sent.get(i).get(30, TimeUnit.SECONDS).offset();
                    latestOffset.put(keys.get(i), offset);
                    acknowledged.put(offset, keys.get(i));
                }
                Thread.sleep(150); // past segment.ms: the next round starts a new segment
            }

            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap())) {
                consumer.assign(List.of(TP));
                List<ConsumerRecord<String, String>> compacted = null;
                long deadline = System.nanoTime() + COMPACTION_WAIT.toNanos();
                while (compacted == null) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "filler", "rolls a segment")).get(30, TimeUnit.SECONDS);
                    List<ConsumerRecord<String, String>> records = readFromStart(consumer);
                    if (isCompacted(records)) {
                        compacted = records;
                    } else if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("Not compacted after " + COMPACTION_WAIT + ": " + summary(records));
                    } else {
                        Thread.sleep(200);
                    }
                }

                for (ConsumerRecord<String, String> record : compacted) {
                    if (record.key().equals("filler")) {
                        continue;
                    }
                    assertEquals(latestOffset.get(record.key()), record.offset(), "offset of " + record.key());
                    assertEquals(latestValue.get(record.key()), record.value());
                    assertEquals(record.key(), acknowledged.get(record.offset()), "kept offsets are the acknowledged ones");
                }
                for (int k = DELETED_KEYS; k < KEYS; k++) {
                    String key = "key-" + k;
                    assertEquals(1, compacted.stream().filter(r -> r.key().equals(key)).count(), key);
                }
            }
        }
    }

    @Test
    void aKeylessRecordIsRefusedWithInvalidRecord() {
        String topic = "compacted-keyless";
        Clients.createTopic(admin, topic, 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(),
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, 0, null, "no key")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(InvalidRecordException.class, e.getCause(), e.getCause().toString());
        }
    }

    /** Only the latest record of each key remains, and none of the deleted keys (their tombstones went too). */
    private static boolean isCompacted(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!record.key().equals("filler")) {
                counts.merge(record.key(), 1, Integer::sum);
            }
        }
        for (int k = 0; k < KEYS; k++) {
            Integer count = counts.get("key-" + k);
            if (k < DELETED_KEYS ? count != null : count == null || count != 1) {
                return false;
            }
        }
        return true;
    }

    private static List<ConsumerRecord<String, String>> readFromStart(KafkaConsumer<String, String> consumer) {
        long end = consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
        consumer.seekToBeginning(List.of(TP));
        return Clients.pollUntil(consumer, TP, end);
    }

    private static String summary(List<ConsumerRecord<String, String>> records) {
        StringBuilder out = new StringBuilder(records.size() + " records:");
        for (ConsumerRecord<String, String> record : records) {
            if (!record.key().equals("filler")) {
                out.append(' ').append(record.offset()).append('=').append(record.key()).append(':')
                        .append(record.value());
            }
        }
        return out.toString();
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 section 4, Kafka Streams: an application with {@code processing.guarantee=exactly_once_v2}
 * re-keys numbered records by colour ({@code selectKey}, so a repartition topic), counts them per
 * colour ({@code groupByKey().count()}: a state store with its changelog) and writes the counts
 * to an output topic. Read with read_committed, each colour's last count is exact and no count
 * ever exceeds it (a record processed twice would push one past it). Runs on one in-process node,
 * with one instance, and with two instances of which one, a child JVM, is killed (SIGKILL)
 * mid-stream and replaced.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamsExactlyOnceIT {
    private static final String INPUT = ColourCountApp.INPUT;
    private static final String OUTPUT = ColourCountApp.OUTPUT;
    private static final int COLOURS = 7;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;
    InProcessBroker broker;
    Admin admin;
    final List<KafkaStreams> instances = new ArrayList<>();
    Process victim;

    @BeforeEach
    void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3"));
        admin = Clients.admin(broker.bootstrap());
        Clients.get(admin.createTopics(List.of(new NewTopic(INPUT, 3, (short) 1), new NewTopic(OUTPUT, 3, (short) 1)))
                .all());
    }

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        instances.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        Clients.closeAll(admin, broker);
    }

    @Test
    void oneInstanceCountsExactly() throws Exception {
        start("eos-one", "a");
        produce(0, 3_000);
        awaitExactCounts(3_000);
    }

    @Test
    void countsStayExactWhenAnInstanceIsKilledAndReplaced() throws Exception {
        start("eos-two", "a");
        Path victimLog = Path.of("target", "broker-logs", "StreamsExactlyOnceIT-instance-b.log");
        java.nio.file.Files.createDirectories(victimLog.getParent());
        victim = ColourCountApp.spawn(broker.bootstrap(), "eos-two", stateDir.resolve("b"), victimLog);
        Await.until("the child instance runs active tasks", TIMEOUT, () -> ColourCountApp.hasActiveTasks(victimLog));
        produce(0, 2_000);
        Await.until("the instances counted 1,000 records", TIMEOUT, () -> lastCounts().values().stream()
                .mapToLong(Long::longValue).sum() >= 1_000);
        victim.destroyForcibly(); // SIGKILL: its open transaction and group membership are left behind
        victim.waitFor(10, TimeUnit.SECONDS);
        produce(2_000, 4_000);
        start("eos-two", "c");
        produce(4_000, 6_000);
        awaitExactCounts(6_000);
    }

    private KafkaStreams start(String applicationId, String instance) {
        KafkaStreams streams = ColourCountApp.create(broker.bootstrap(), applicationId, stateDir.resolve(instance));
        instances.add(streams);
        streams.start();
        return streams;
    }

    /** Values "colour-c:n" for n in [from, to), colour c = n % COLOURS, keyed by n. */
    private void produce(int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int n = from; n < to; n++) {
                acks.add(producer.send(new ProducerRecord<>(INPUT, "n" + n, "colour-" + (n % COLOURS) + ":" + n)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitExactCounts(int total) {
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < total; n++) {
            expected.merge("colour-" + (n % COLOURS), 1L, Long::sum);
        }
        Await.until("each colour's last committed count is exact", TIMEOUT, () -> lastCounts().equals(expected));
        Map<String, Long> max = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committedCounts()) {
            max.merge(r.key(), r.value(), Math::max);
        }
        assertEquals(expected, max, "no count ever went past the exact one (nothing processed twice)");
    }

    private Map<String, Long> lastCounts() {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committedCounts()) {
            last.put(r.key(), r.value()); // one colour lives in one partition, so its records are in order
        }
        return last;
    }

    /** Every record of the output topic, read with read_committed up to its current end. */
    private List<ConsumerRecord<String, Long>> committedCounts() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, Long>> records = new ArrayList<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new LongDeserializer())) {
            for (int p = 0; p < 3; p++) {
                TopicPartition tp = new TopicPartition(OUTPUT, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp); // the last stable offset
                records.addAll(Clients.pollUntil(consumer, tp, end));
            }
        }
        return records;
    }
}

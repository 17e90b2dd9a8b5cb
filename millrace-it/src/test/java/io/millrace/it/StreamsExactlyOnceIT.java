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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Produced;
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
 * with one instance, and with two instances of which one is closed abruptly (no wait, no state
 * clean-up) mid-stream and replaced.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamsExactlyOnceIT {
    private static final String INPUT = "streams-in";
    private static final String OUTPUT = "streams-counts";
    private static final int COLOURS = 7;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;
    InProcessBroker broker;
    Admin admin;
    final List<KafkaStreams> instances = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3"));
        admin = Clients.admin(broker.bootstrap());
        Clients.get(admin.createTopics(List.of(new NewTopic(INPUT, 3, (short) 1), new NewTopic(OUTPUT, 3, (short) 1)))
                .all());
    }

    @AfterEach
    void stop() {
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
        KafkaStreams victim = start("eos-two", "b");
        produce(0, 2_000);
        Await.until("both instances processed", TIMEOUT, () -> lastCounts().values().stream()
                .mapToLong(Long::longValue).sum() >= 1_000);
        victim.close(Duration.ZERO); // abrupt: no wait for its threads, its state dir left as it is
        produce(2_000, 4_000);
        start("eos-two", "c");
        produce(4_000, 6_000);
        awaitExactCounts(6_000);
    }

    private KafkaStreams start(String applicationId, String instance) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(INPUT)
                .selectKey((key, value) -> value.substring(0, value.indexOf(':')))
                .groupByKey()
                .count()
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(instance).toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 10_000);
        KafkaStreams streams = new KafkaStreams(topology, props);
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

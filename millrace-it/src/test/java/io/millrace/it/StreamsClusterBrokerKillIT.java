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
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10's done-when, as a test run by hand (too long for the default suite, like
 * FailoverTimeIT): a Kafka Streams application with {@code group.protocol=streams} (KIP-1071)
 * and {@code exactly_once_v2} on three Millrace nodes (separate JVMs, every topic with three
 * replicas) while the node coordinating its streams group is killed (SIGKILL) and restarted.
 * Two instances of {@link ColourCountApp} (re-key, count with a store, so a repartition and a
 * changelog topic that the broker creates) run in the test JVM; numbered records are written
 * before the kill, while the node is down and after it is back. Read with read_committed, each
 * colour's last count is exact and no count ever passed it (nothing lost, nothing counted twice),
 * and both instances are RUNNING at the end. Prints the time line.
 *
 * <p>{@code mvn -o -B -pl millrace-it -am verify -Dtest=StreamsClusterBrokerKillIT
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StreamsClusterBrokerKillIT extends ClusterTest {
    private static final String INPUT = ColourCountApp.INPUT;
    private static final String OUTPUT = ColourCountApp.OUTPUT;
    static final String APPLICATION = "streams-cluster-kill";
    private static final int COLOURS = 7;
    static final int BATCH = 2_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final List<KafkaStreams> instances = new ArrayList<>();
    private final long start = System.nanoTime();

    @AfterEach
    void closeInstances() {
        instances.forEach(streams -> streams.close(Duration.ofSeconds(10)));
    }

    @Test
    void exactCountsThroughTheCoordinatorsKillAndRestart() throws Exception {
        startCluster(3);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, INPUT, 6, 3, Map.of("min.insync.replicas", "2"));
        cluster.createTopic(admin, OUTPUT, 3, 3, Map.of("min.insync.replicas", "2"));
        log("cluster of 3 up, topics created");
        String bootstrap = cluster.bootstrapServers();
        Map<String, Object> overrides = Map.of(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams",
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        for (String instance : List.of("a", "b")) {
            KafkaStreams streams = ColourCountApp.create(bootstrap, APPLICATION, tempDir.resolve("state-" + instance),
                    overrides);
            instances.add(streams);
            streams.start();
        }
        Await.until("both instances RUNNING with active tasks", TIMEOUT, () -> instances.stream().allMatch(
                s -> s.state() == KafkaStreams.State.RUNNING && s.metadataForLocalThreads().stream()
                        .mapToInt(t -> t.activeTasks().size()).sum() > 0));
        log("both instances RUNNING with active tasks");

        produce(bootstrap, 0, BATCH);
        Await.until("the first batch counted", TIMEOUT, () -> sum(lastCounts(bootstrap)) == BATCH);
        log("first " + BATCH + " records counted");

        int victim = coordinatorOf(admin);
        cluster.kill9(victim);
        log("node " + victim + " (the streams group's coordinator) killed with SIGKILL");
        produce(bootstrap, BATCH, 2 * BATCH);
        log("second batch written while node " + victim + " is down");
        Await.until("the second batch counted without node " + victim, TIMEOUT,
                () -> sum(lastCounts(bootstrap)) == 2 * BATCH);
        log("second batch counted without node " + victim + "; coordinator now node " + coordinatorOf(admin));

        cluster.start(victim);
        log("node " + victim + " restarted and registered");
        produce(bootstrap, 2 * BATCH, 3 * BATCH);
        awaitExactCounts(bootstrap, 3 * BATCH);
        log("all " + 3 * BATCH + " records counted exactly");
        for (KafkaStreams streams : instances) {
            assertEquals(KafkaStreams.State.RUNNING, streams.state());
        }
    }

    static int coordinatorOf(Admin admin) {
        return Await.value("the streams group's coordinator", TIMEOUT, () -> {
            try {
                StreamsGroupDescription group = Clients.get(admin.describeStreamsGroups(List.of(APPLICATION))
                        .all()).get(APPLICATION);
                return group.coordinator() == null ? null : group.coordinator().id();
            } catch (Clients.ClientCallFailed e) {
                return null;
            }
        });
    }

    /** Values "colour-c:n" for n in [from, to), keyed by n, acks=all and idempotent. */
    static void produce(String bootstrap, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int n = from; n < to; n++) {
                acks.add(producer.send(new ProducerRecord<>(INPUT, "n" + n, "colour-" + (n % COLOURS) + ":" + n)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(150, TimeUnit.SECONDS);
            }
        }
    }

    static void awaitExactCounts(String bootstrap, int total) {
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < total; n++) {
            expected.merge("colour-" + (n % COLOURS), 1L, Long::sum);
        }
        Await.until("each colour's last committed count is exact", TIMEOUT, () -> lastCounts(bootstrap).equals(expected));
        Map<String, Long> max = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committedCounts(bootstrap)) {
            max.merge(r.key(), r.value(), Math::max);
        }
        assertEquals(expected, max, "no count ever went past the exact one (nothing processed twice)");
    }

    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static Map<String, Long> lastCounts(String bootstrap) {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committedCounts(bootstrap)) {
            last.put(r.key(), r.value()); // one colour lives in one partition, so its records are in order
        }
        return last;
    }

    /** Every record of the output topic, read with read_committed up to its current end. */
    static List<ConsumerRecord<String, Long>> committedCounts(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
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

    private void log(String what) {
        System.out.printf("StreamsClusterBrokerKillIT [%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.tools.streams.StreamsGroupCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams with {@code group.protocol=streams} (KIP-1071) against one in-process broker: the
 * application re-keys records by colour (a repartition topic the broker creates) and counts them
 * per colour (a store whose changelog the broker creates). Two instances share the tasks; one
 * closes and the other takes over every task; the counts are exact throughout. And
 * kafka-streams-groups.sh (kafka-tools 4.4) lists, describes (members, state, offsets) and, once
 * empty, deletes the group.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StreamsGroupProtocolIT {
    private static final String INPUT = "streams-input";
    private static final String OUTPUT = "streams-counts";
    private static final int COLOURS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;
    InProcessBroker broker;
    Admin admin;
    final List<KafkaStreams> instances = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        // the first assignment is not held back 3 s for more members (group.streams.initial.rebalance.delay.ms):
        // the second instance joins a group already assigned and is handed its share
        broker = InProcessBroker.start(dataDir, Map.of("group.streams.min.heartbeat.interval.ms", "500",
                "group.streams.heartbeat.interval.ms", "500", "group.streams.initial.rebalance.delay.ms", "0"));
        admin = Clients.admin(broker.bootstrap());
        Clients.get(admin.createTopics(List.of(new NewTopic(INPUT, 4, (short) 1), new NewTopic(OUTPUT, 2, (short) 1)))
                .all());
    }

    @AfterEach
    void stop() {
        instances.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        Clients.closeAll(admin, broker);
    }

    @Test
    void twoInstancesShareTasksAndOneTakesOverWhenTheOtherCloses() throws Exception {
        KafkaStreams a = start("counts", "a");
        KafkaStreams b = start("counts", "b");
        Await.until("both instances run active tasks", TIMEOUT,
                () -> !activeTasks(a).isEmpty() && !activeTasks(b).isEmpty());
        Set<String> all = new java.util.TreeSet<>(activeTasks(a));
        all.addAll(activeTasks(b));
        assertEquals(8, all.size(), "4 tasks re-keying the input, 4 counting its repartition topic: " + all);
        Await.until("each instance knows where the other's partitions are (interactive queries)", TIMEOUT,
                () -> a.metadataForAllStreamsClients().size() == 2 && b.metadataForAllStreamsClients().size() == 2);
        produce(0, 1_000);
        awaitCounts(1_000);

        a.close(Duration.ofSeconds(20));
        instances.remove(a);
        Await.until("the remaining instance runs every task", TIMEOUT, () -> activeTasks(b).size() == 8);
        produce(1_000, 2_000);
        awaitCounts(2_000);
    }

    @Test
    void kafkaStreamsGroupsToolListsAndDescribesTheGroup() throws Exception {
        KafkaStreams a = start("tooled", "a");
        Await.until("the instance runs active tasks", TIMEOUT, () -> activeTasks(a).size() == 8);
        produce(0, 100);
        awaitCounts(100);

        KafkaToolRun list = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--list");
        assertEquals(0, list.exitCode(), list.stderr());
        assertTrue(list.stdout().lines().anyMatch(l -> l.trim().equals("tooled")), list.stdout());

        KafkaToolRun describe = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--describe",
                "--group", "tooled", "--members");
        assertEquals(0, describe.exitCode(), describe.stderr());
        assertTrue(describe.stdout().contains("tooled"), describe.stdout());

        KafkaToolRun state = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--describe",
                "--group", "tooled", "--state");
        assertEquals(0, state.exitCode(), state.stderr());
        assertTrue(state.stdout().contains("Stable"), state.stdout());

        KafkaToolRun offsets = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--describe",
                "--group", "tooled", "--offsets");
        assertEquals(0, offsets.exitCode(), offsets.stderr());
        assertTrue(offsets.stdout().contains(INPUT), offsets.stdout());

        a.close(Duration.ofSeconds(20));
        instances.remove(a);
        KafkaToolRun delete = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--delete",
                "--group", "tooled");
        assertEquals(0, delete.exitCode(), delete.stdout() + delete.stderr());
        KafkaToolRun after = KafkaToolRun.run(StreamsGroupCommand.class, broker.bootstrap(), "--list");
        assertTrue(after.stdout().lines().noneMatch(l -> l.trim().equals("tooled")), after.stdout());
    }

    private KafkaStreams start(String applicationId, String instance) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(INPUT)
                .selectKey((k, v) -> v.substring(0, v.indexOf(':')))
                .groupByKey()
                .count()
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(instance).toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + (7000 + instance.charAt(0)));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        instances.add(streams);
        streams.start();
        return streams;
    }

    private static Set<String> activeTasks(KafkaStreams streams) {
        Set<String> tasks = new java.util.TreeSet<>();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return tasks;
        }
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().forEach(t -> tasks.add(t.taskId().toString()));
        }
        return tasks;
    }

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

    /** Each colour's last count reaches its number of records. */
    private void awaitCounts(int total) {
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < total; n++) {
            expected.merge("colour-" + (n % COLOURS), 1L, Long::sum);
        }
        Await.until("each colour's last count is " + expected, TIMEOUT, () -> lastCounts().equals(expected));
    }

    private Map<String, Long> lastCounts() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Long> last = new HashMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new LongDeserializer())) {
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(OUTPUT, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                for (ConsumerRecord<String, Long> r : Clients.pollUntil(consumer, tp, end)) {
                    last.put(r.key(), r.value());
                }
            }
        }
        return last;
    }
}

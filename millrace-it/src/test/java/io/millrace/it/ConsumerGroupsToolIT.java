package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own {@code kafka-consumer-groups} tool ({@link ConsumerGroupCommand} from
 * kafka-tools, run in this JVM with its output captured) against our groups: list, describe
 * with lag (active and empty groups), reset offsets to earliest, delete.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsumerGroupsToolIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String TOPIC = "tool-topic";
    private static final String GROUP = "tool-group";

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stop() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void listsDescribesWithLagResetsAndDeletesAGroup() throws Exception {
        Clients.createTopic(admin, TOPIC, 3, Map.of());
        produce(30);
        ConcurrentMap<String, Integer> processed = new ConcurrentHashMap<>();
        ClassicGroupMember member = ClassicGroupMember.start(broker.bootstrap(), TOPIC,
                ClassicGroupMember.fastGroup(GROUP, "range"), processed);
        try {
            Await.until("the member consumed and committed everything", WAIT, () -> processed.size() == 30
                    && committed().values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 30);

            Output list = tool("--list");
            assertTrue(list.lines().contains(GROUP), list.toString());

            List<String[]> active = rows(tool("--describe", "--group", GROUP));
            assertEquals(3, active.size(), "one row per partition");
            for (String[] row : active) {
                assertEquals(List.of(GROUP, TOPIC, "10", "10", "0"), List.of(row[0], row[1], row[3], row[4], row[5]));
                assertTrue(row[6].startsWith("millrace-it-consumer-"), "the member owning it: " + Arrays.toString(row));
                assertEquals("/127.0.0.1", row[7]);
            }

            Output members = tool("--describe", "--group", GROUP, "--members");
            assertTrue(members.stdout().contains("/127.0.0.1"), members.toString());
            Output state = tool("--describe", "--group", GROUP, "--state");
            assertTrue(state.stdout().contains("Stable"), state.toString());
        } finally {
            member.close();
        }

        produce(6);
        Output empty = tool("--describe", "--group", GROUP);
        List<String[]> lagging = rows(empty);
        assertEquals(3, lagging.size(), empty.toString());
        for (String[] row : lagging) {
            assertEquals(List.of("10", "12", "2", "-"), List.of(row[3], row[4], row[5], row[6]), Arrays.toString(row));
        }

        Output reset = tool("--reset-offsets", "--group", GROUP, "--topic", TOPIC, "--to-earliest", "--execute");
        assertTrue(reset.stdout().contains("NEW-OFFSET"), reset.toString());
        Map<TopicPartition, OffsetAndMetadata> afterReset = committed();
        assertEquals(3, afterReset.size());
        afterReset.values().forEach(o -> assertEquals(0, o.offset()));

        Output deleted = tool("--delete", "--group", GROUP);
        assertTrue(deleted.stdout().contains("successful"), deleted.toString());
        assertFalse(tool("--list").lines().contains(GROUP));
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed() {
        return Clients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
    }

    private static void produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, null, "v" + i)).get();
            }
        }
    }

    /** The describe table's data rows for our topic, split on whitespace. */
    private static List<String[]> rows(Output output) {
        List<String[]> rows = new ArrayList<>();
        for (String line : output.lines()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 6 && columns[0].equals(GROUP) && columns[1].equals(TOPIC)) {
                rows.add(columns);
            }
        }
        return rows;
    }

    record Output(String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().map(String::trim).toList();
        }
    }

    /** Runs kafka-consumer-groups with these arguments against the broker. */
    private static synchronized Output tool(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrap(), "--timeout", "20000"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            ConsumerGroupCommand.main(all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        Output output = new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        stdout.println("kafka-consumer-groups " + String.join(" ", args) + "\n" + output.stdout() + output.stderr());
        assertFalse(output.stderr().contains("Error"), output.toString());
        return output;
    }
}

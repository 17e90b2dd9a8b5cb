package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka's balanced consumer ({@code kcat -G}) as a classic group member: it joins, is
 * assigned every partition, reads everything, commits, and a second run of the same group
 * resumes at the committed offsets (no {@code -o}: kcat would apply it over the committed ones). Skipped, with a line saying so, when kcat is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatGroupIT {
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "kcat-group-topic";
    private static final String GROUP = "kcat-group";

    @TempDir
    static Path tempDir;
    static Path kcat;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        kcat = findOnPath("kcat");
        if (kcat == null) {
            System.out.println("kcat not installed: KcatGroupIT skipped");
        }
        Assumptions.assumeTrue(kcat != null, "kcat not installed: KcatGroupIT skipped");
        broker = InProcessBroker.start(tempDir.resolve("data"), Map.of("group.initial.rebalance.delay.ms", "0",
                "offsets.topic.num.partitions", "3"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void kcatConsumesAsAGroupCommitsAndResumes() throws Exception {
        Clients.createTopic(admin, TOPIC, 3, Map.of());
        produce(0, 30);

        List<String> first = consumeAsGroup();
        assertEquals(expected(0, 30), new HashSet<>(first), "the first run reads everything once");
        assertEquals(30, first.size());
        Map<TopicPartition, OffsetAndMetadata> committed =
                Clients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((tp, o) -> offsets.put(tp, o.offset()));
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), 10L, new TopicPartition(TOPIC, 1), 10L,
                new TopicPartition(TOPIC, 2), 10L), offsets, "kcat committed its position on exit");

        produce(30, 6);
        List<String> second = consumeAsGroup();
        assertEquals(expected(30, 6), new HashSet<>(second), "the second run resumes at the committed offsets");
    }

    private static Set<String> expected(int from, int count) {
        Set<String> values = new HashSet<>();
        for (int i = from; i < from + count; i++) {
            values.add("v" + i);
        }
        return values;
    }

    private static List<String> consumeAsGroup() throws IOException, InterruptedException {
        List<String> command = List.of(kcat.toString(), "-b", broker.bootstrap(), "-G", GROUP, "-X", "auto.offset.reset=earliest", "-e",
                "-f", "%s\\n", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500", TOPIC);
        Path out = Files.createTempFile(tempDir, "kcat", ".out");
        Path err = Files.createTempFile(tempDir, "kcat", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("kcat -G did not finish: " + command + "\n--- stderr:\n" + Files.readString(err));
            }
            assertEquals(0, process.exitValue(), "kcat failed:\n" + Files.readString(err));
            return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void produce(int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, null, "v" + i)).get();
            }
        }
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 section 2, Kafka Connect: distributed workers ({@link ConnectWorker}, each its own JVM)
 * with their compacted internal topics on one Millrace node, running Kafka's file connectors
 * (FileStreamSource: lines of a file to a topic; FileStreamSink with three tasks: a topic to a
 * file). A round trip through a clean worker restart with every line exactly once (the source
 * resumes from its committed offset, the sink from its group's); then a second worker joins, the
 * two share the tasks, and the one running the source task is killed with SIGKILL: its tasks move
 * to the other and no line is lost (at least once; the duplicates are printed).
 * Exactly-once source connectors are in {@code ConnectExactlyOnceSourceIT}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConnectDistributedIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "connect-files";

    @TempDir
    static Path dataDir;
    @TempDir
    Path dir;
    static InProcessBroker broker;
    static Admin admin;
    final List<ConnectWorker> workers = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        // no initial rebalance delay (3 s, and 3 s more for each member joining meanwhile): the
        // workers' group and the sink tasks' group form as soon as their members have joined
        broker = InProcessBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(ConnectWorker::close);
    }

    @Test
    void fileRoundTripThroughACleanRestartAndAWorkerKill() throws Exception {
        String topic = "lines";
        Clients.get(admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all());
        Path in = dir.resolve("in.txt");
        Path out = dir.resolve("out.txt");
        append(in, 0, 300);
        ConnectWorker first = start("w1");
        first.putConnector("file-source", fileSource(in, topic));
        first.putConnector("file-sink", fileSink(out, topic, 3));
        Await.until("300 lines through Connect", TIMEOUT, () -> lines(out).size() >= 300);
        assertCompacted(GROUP + "-configs", GROUP + "-offsets", GROUP + "-status");

        first.stop(); // SIGTERM: tasks stop, source and sink offsets are committed
        workers.remove(first);
        append(in, 300, 600);
        ConnectWorker second = start("w2");
        Await.until("the connectors run again from their stored configs", TIMEOUT,
                () -> second.running("file-source", 1, workers) && second.running("file-sink", 3, workers));
        Await.until("the sink caught up with the topic", TIMEOUT, () -> sinkLag("file-sink", topic, 4) == 0
                && lines(out).size() >= 600);
        assertEquals(600, endOffsets(topic, 4), "every line sent to the topic once");
        assertEquals(expected(0, 600), sorted(lines(out)), "every line in the sink's file once");

        ConnectWorker third = start("w3");
        Await.until("the connectors' tasks run, shared by two workers", TIMEOUT,
                () -> third.running("file-sink", 3, workers) && third.running("file-source", 1, workers)
                        && taskWorkers(third, "file-source", "file-sink").size() == 2);
        String sourceWorker = third.status("file-source").path("tasks").get(0).path("worker_id").asText();
        ConnectWorker victim = sourceWorker.equals(second.workerId()) ? second : third;
        ConnectWorker survivor = victim == second ? third : second;
        victim.kill(); // SIGKILL the worker running the source task: uncommitted offsets, a member left behind
        append(in, 600, 900);
        List<ConnectWorker> alive = List.of(survivor);
        Await.until("every task runs on the surviving worker", TIMEOUT,
                () -> survivor.running("file-source", 1, alive) && survivor.running("file-sink", 3, alive));
        Await.until("the sink caught up with the topic", TIMEOUT, () -> sinkLag("file-sink", topic, 4) == 0
                && new HashSet<>(lines(out)).size() >= 900);
        List<String> written = lines(out);
        assertEquals(new HashSet<>(expected(0, 900)), new HashSet<>(written), "no line lost, none made up");
        System.out.printf("ConnectDistributedIT: after the kill %d lines written for 900 (%d records on the topic)%n",
                written.size(), endOffsets(topic, 4));
    }

    private ConnectWorker start(String name) {
        ConnectWorker worker = ConnectWorker.start(name, ConnectWorker.settings(broker.bootstrap(), GROUP), dir);
        workers.add(worker);
        return worker;
    }

    static Map<String, String> fileSource(Path file, String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector");
        config.put("tasks.max", "1");
        config.put("file", file.toString());
        config.put("topic", topic);
        return config;
    }

    static Map<String, String> fileSink(Path file, String topic, int tasks) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("tasks.max", String.valueOf(tasks));
        config.put("file", file.toString());
        config.put("topics", topic);
        config.put("consumer.override.max.poll.records", "100");
        // the sink tasks' consumers get the workers' 6 s session, not the consumer's default 45 s: a
        // killed worker's sink consumer otherwise held the group's rebalance for 45 s
        config.put("consumer.override.session.timeout.ms", "6000");
        config.put("consumer.override.heartbeat.interval.ms", "1000");
        return config;
    }

    /** The workers running tasks of {@code connectors}. */
    private static java.util.Set<String> taskWorkers(ConnectWorker worker, String... connectors) {
        java.util.Set<String> ids = new HashSet<>();
        for (String connector : connectors) {
            worker.status(connector).path("tasks").forEach(task -> ids.add(task.path("worker_id").asText()));
        }
        return ids;
    }

    /** The sink connector's group (Connect names it connect-&lt;connector&gt;): records not yet committed. */
    private static long sinkLag(String connector, String topic, int partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                Clients.get(admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata());
        long lag = 0;
        for (var end : endOffsetsOf(topic, partitions).entrySet()) {
            OffsetAndMetadata commit = committed.get(end.getKey());
            lag += end.getValue() - (commit == null ? 0 : commit.offset());
        }
        return lag;
    }

    static long endOffsets(String topic, int partitions) {
        return endOffsetsOf(topic, partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TopicPartition, Long> endOffsetsOf(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        Clients.get(admin.listOffsets(latest).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static void assertCompacted(String... topics) {
        for (String topic : topics) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource)
                    .get("cleanup.policy").value();
            assertEquals("compact", policy, topic + "'s cleanup.policy");
        }
    }

    /** Appends lines "line-n" for n in [from, to) to {@code file}. */
    static void append(Path file, int from, int to) {
        StringBuilder text = new StringBuilder();
        IntStream.range(from, to).forEach(n -> text.append("line-").append(n).append('\n'));
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> expected(int from, int to) {
        return sorted(IntStream.range(from, to).mapToObj(n -> "line-" + n).toList());
    }

    static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}

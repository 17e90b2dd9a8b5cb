package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 section 2, exactly-once source connectors (KIP-618): a Connect worker with
 * {@code exactly.once.source.support=enabled} runs Kafka's FileStreamSource with
 * {@code exactly.once.support=required}, so each poll's records and source offsets are written in
 * one transaction. The worker is killed with SIGKILL while lines are being appended to the file
 * (a transaction may be open), the file grows while it is down, and a new worker of the same
 * cluster fences the dead task's transactional producer and resumes from the committed offset.
 * Read with read_committed, the topic (one partition) holds every line exactly once, in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConnectExactlyOnceSourceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "eos-lines";

    @TempDir
    Path dataDir;
    @TempDir
    Path dir;
    InProcessBroker broker;
    Admin admin;
    final List<ConnectWorker> workers = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3",
                "offsets.topic.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
                "group.initial.rebalance.delay.ms", "0")); // the workers' group forms without a 3 s delay
        admin = Clients.admin(broker.bootstrap());
        Clients.get(admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all());
    }

    @AfterEach
    void stop() {
        workers.forEach(ConnectWorker::close);
        Clients.closeAll(admin, broker);
    }

    @Test
    void everyLineOnceThroughAWorkerKill() throws Exception {
        Path in = dir.resolve("in.txt");
        ConnectDistributedIT.append(in, 0, 500);
        ConnectWorker first = start("eos-1");
        Map<String, String> source = ConnectDistributedIT.fileSource(in, TOPIC);
        source.put("exactly.once.support", "required");
        source.put("transaction.boundary", "poll");
        first.putConnector("eos-source", source);
        Await.until("500 lines committed to the topic", TIMEOUT, () -> lastStableOffset() >= 500);

        Thread writer = Thread.ofPlatform().name("eos-file-writer").start(() -> {
            for (int n = 500; n < 1_500; n += 10) {
                ConnectDistributedIT.append(in, n, n + 10);
                sleep(10);
            }
        });
        Await.until("700 lines committed to the topic", TIMEOUT, () -> lastStableOffset() >= 700);
        first.kill(); // SIGKILL mid-stream: its task's transaction is left open
        writer.join(TIMEOUT.toMillis());

        ConnectWorker second = start("eos-2");
        Await.until("the source runs on the new worker", TIMEOUT,
                () -> second.running("eos-source", 1, List.of(second)));
        Await.until("1,500 lines committed to the topic", TIMEOUT, () -> committedValues().size() >= 1_500);
        List<String> expected = IntStream.range(0, 1_500).mapToObj(n -> "line-" + n).toList();
        assertEquals(expected, committedValues(), "every line exactly once, in order (read_committed)");
    }

    private ConnectWorker start(String name) {
        Map<String, String> settings = ConnectWorker.settings(broker.bootstrap(), "connect-eos");
        settings.put("exactly.once.source.support", "enabled");
        // The dead task's open transaction also holds its source offsets in the worker's offsets
        // topic, which a new worker reads to its end with read_committed before it starts: the
        // transaction times out (and is aborted) after 5 s instead of the default 60.
        settings.put("producer.transaction.timeout.ms", "5000");
        ConnectWorker worker = ConnectWorker.start(name, settings, dir);
        workers.add(worker);
        return worker;
    }

    private long lastStableOffset() {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        return Clients.get(admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()).get(tp).offset();
    }

    private List<String> committedValues() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            return Clients.pollUntil(consumer, tp, end).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

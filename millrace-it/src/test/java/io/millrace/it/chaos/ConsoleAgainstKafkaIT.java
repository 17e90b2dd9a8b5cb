package io.millrace.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.millrace.console.Console;
import io.millrace.console.ConsoleOptions;
import io.millrace.it.Clients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console against Apache Kafka 4.4 (one KRaft node, broker and controller, in its own
 * process from millrace-bench/target/kafka-lib): the cluster page with its metadata quorum
 * (DescribeQuorum), a topic's partitions and size (DescribeLogDirs), a message, and a group's lag,
 * read over HTTP. Behind a flag, as Kafka's start alone takes about a minute on a loaded machine:
 * {@code mvn -o -B -pl millrace-it -am verify -Dtest=ConsoleAgainstKafkaIT -Dconsole.kafka=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (build the jars once with {@code -Pbench package -pl
 * millrace-bench -am}, as the chaos run's Kafka side needs).
 */
@EnabledIfSystemProperty(named = "console.kafka", matches = "true")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConsoleAgainstKafkaIT {
    private static final String TOPIC = "kafka-orders";
    private static final String GROUP = "kafka-billing";
    private static final int MESSAGES = 10;
    private static final int COMMITTED = 4;

    @TempDir
    Path dir;

    @Test
    void everyPageAnswersAgainstApacheKafka() throws Exception {
        Path lib = KafkaTarget.kafkaLib().orElse(null);
        assumeTrue(lib != null, "Kafka's jars are not in millrace-bench/target/kafka-lib");
        int port = MillraceTarget.freePort();
        int controllerPort = MillraceTarget.freePort();
        String props = String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs").toAbsolutePath(),
                "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0", "");
        try (KafkaNode kafka = new KafkaNode(lib, dir.resolve("kafka"), props, port,
                Path.of("target", "broker-logs", "console-against-kafka.log"))) {
            kafka.format(Uuid.randomUuid().toString());
            kafka.spawn();
            kafka.awaitStarted();
            String bootstrap = "127.0.0.1:" + port;
            try (Admin admin = Clients.admin(bootstrap)) {
                Clients.createTopic(admin, TOPIC, 1, Map.of());
            }
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
                for (int i = 0; i < MESSAGES; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "k" + i, "{\"n\":" + i + "}")).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
                consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(COMMITTED)));
            }
            try (Console console = Console.start(ConsoleOptions.of(bootstrap, new InetSocketAddress("127.0.0.1", 0)))) {
                String base = "http://" + console.hostPort();
                String cluster = page(base + "/cluster");
                assertTrue(cluster.contains("Metadata quorum") && cluster.contains("high watermark"), cluster);
                String topic = page(base + "/topic?name=" + TOPIC);
                assertTrue(topic.contains("cleanup.policy"), topic);
                assertTrue(page(base + "/topics").contains(TOPIC));
                String messages = page(base + "/messages?topic=" + TOPIC + "&partition=0&offset=0");
                assertTrue(messages.contains("k3"), messages);
                String group = page(base + "/group?id=" + GROUP);
                assertTrue(group.contains("Total lag " + (MESSAGES - COMMITTED)), group);
                for (String other : List.of("/groups", "/throughput", "/api/lag?group=" + GROUP)) {
                    page(base + other);
                }
            }
        }
    }

    /** The page's text without markup; fails unless it answers 200. */
    private static String page(String url) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), url);
            return response.body().replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
        }
    }
}

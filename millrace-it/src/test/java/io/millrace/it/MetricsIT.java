package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics of a live node, scraped over HTTP as Prometheus does: a producer's records show in the
 * topic's bytes and messages in, a consumer's reads in its bytes out, Produce requests in the
 * request-latency histogram, a group's committed offset as the lag it leaves, the JVM's metrics,
 * and OpenMetrics when the scraper asks for it. One broker for the class.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "metered";
    private static final String GROUP = "metered-group";
    private static final int RECORDS = 10;
    private static final int COMMITTED = 6;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of("millrace.metrics.listener", "127.0.0.1:0",
                "group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "1"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stop() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void throughputLatencyLagAndTheJvmAreScraped() throws Exception {
        Clients.createTopic(admin, TOPIC, 1, Map.of());
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i)).get();
            }
        }
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + WAIT.toNanos();
            int read = 0;
            while (read < RECORDS && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertEquals(RECORDS, read, "records consumed");
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(COMMITTED)));

            String text = scrape(null).body();
            assertEquals(RECORDS, value(text, "kafka_server_brokertopicmetrics_messagesin_total", "topic", TOPIC));
            double bytesIn = value(text, "kafka_server_brokertopicmetrics_bytesin_total", "topic", TOPIC);
            assertTrue(bytesIn > RECORDS * "value-0".length(), "bytes in: " + bytesIn);
            assertTrue(value(text, "kafka_server_brokertopicmetrics_bytesout_total", "topic", TOPIC) > 0, "bytes out");
            assertTrue(value(text, "kafka_network_requestmetrics_totaltime_seconds_count", "request", "Produce")
                    >= RECORDS, "Produce latency observations");
            assertTrue(MetricsScrape.find(text, "kafka_network_requestmetrics_totaltime_seconds_bucket", "request", "Produce",
                    "le", "+Inf").isPresent(), "Produce latency histogram buckets");
            assertEquals(RECORDS - COMMITTED, value(text, "kafka_consumergroup_lag",
                    "consumergroup", GROUP, "topic", TOPIC, "partition", "0"), "the group's lag");
            assertEquals(COMMITTED, value(text, "kafka_consumergroup_current_offset",
                    "consumergroup", GROUP, "topic", TOPIC, "partition", "0"));
            assertEquals(0, value(text, "kafka_server_replicamanager_underreplicatedpartitions"));
            assertTrue(value(text, "kafka_server_replicamanager_leadercount") >= 1, "leader count");
            assertEquals(1, value(text, "kafka_controller_kafkacontroller_activecontrollercount"));
            assertEquals(0, value(text, "millrace_metadata_replica_lag", "replica", "1"), "metadata lag");
            assertTrue(value(text, "kafka_server_raft_metrics_high_watermark") > 0, "metadata high watermark");
            assertEquals(value(text, "kafka_server_raft_metrics_high_watermark"),
                    value(text, "kafka_server_broker_metadata_metrics_last_applied_record_offset"),
                    "a single node applies what it commits, in the same offset space");
            assertEquals(0, value(text, "millrace_metadata_apply_offset_lag"));
            assertEquals(0, value(text, "kafka_server_broker_metadata_metrics_last_applied_record_lag_ms"));
            assertTrue(value(text, "kafka_log_log_size", "topic", TOPIC, "partition", "0") >= bytesIn, "log size");
            assertTrue(value(text, "kafka_server_socket_server_metrics_connection_count", "listener", "PLAINTEXT") >= 1,
                    "connections");
            for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds_count")) {
                assertTrue(text.contains("\n" + jvm), jvm + " missing");
            }
        }
    }

    @Test
    void aConsumerProtocolGroupsRebalanceIsCounted() throws Exception {
        String topic = "rebalanced";
        String rebalances = "kafka_server_group_coordinator_metrics_consumer_group_rebalance_total";
        Clients.createTopic(admin, topic, 2, Map.of());
        double before = MetricsScrape.find(scrape(null).body(), rebalances).orElse(0.0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "kip848-group", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.assignment().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no assignment after " + WAIT);
                consumer.poll(Duration.ofMillis(100));
            }
            assertTrue(value(scrape(null).body(), rebalances) >= before + 1, "the join's rebalance");
        }
        MetricsScrape.awaitAtLeast(broker.metricsPort(), before + 2, WAIT, rebalances); // and the leave's
        assertEquals(0, value(scrape(null).body(), "kafka_server_group_coordinator_metrics_streams_group_rebalance_total"));
    }

    @Test
    void aDeletedTopicsSeriesGo() throws Exception {
        String doomed = "doomed";
        Clients.createTopic(admin, doomed, 1, Map.of());
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            producer.send(new ProducerRecord<>(doomed, "k", "v")).get();
        }
        assertEquals(1, value(scrape(null).body(), "kafka_server_brokertopicmetrics_messagesin_total", "topic", doomed));
        Clients.get(admin.deleteTopics(List.of(doomed)).all());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (scrape(null).body().contains("topic=\"" + doomed + "\"")) {
            assertTrue(System.nanoTime() < deadline, "series of the deleted topic still scraped after " + WAIT);
            Thread.sleep(100); // a poll interval: the loop checks the condition
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> plain = scrape(null);
        assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                plain.headers().toString());
        HttpResponse<String> open = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertEquals(200, open.statusCode());
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                open.headers().toString());
        assertTrue(open.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(open.body().contains("# TYPE kafka_network_requestmetrics_totaltime_seconds histogram"));
    }

    private static HttpResponse<String> scrape(String accept) throws Exception {
        return MetricsScrape.get(broker.metricsPort(), accept);
    }

    private static double value(String text, String name, String... labels) {
        return MetricsScrape.value(text, name, labels);
    }
}

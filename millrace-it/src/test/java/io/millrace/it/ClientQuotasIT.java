package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client quotas with kafka-clients and kafka-configs.sh against one node: quotas set, described
 * (every filter match type, strict or not) and removed through the Admin API and the tool; bad
 * input answered INVALID_REQUEST; a producer held to its byte rate (measured from 2 s to 10 s) and a
 * consumer bounded by its own (measuring its rate too would double the test's time), both seeing
 * throttle times in their metrics; a removed quota no longer throttles; a topic created beyond the
 * controller mutation rate is refused with THROTTLING_QUOTA_EXCEEDED. The broker measures over two
 * 1 s windows ({@code quota.window.num=2}, {@code controller.quota.window.num=2}) so the steady rate
 * comes within a short test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientQuotasIT {
    private static final int QUOTA = 200 * 1024;
    private static final byte[] VALUE = new byte[1000];
    private static final int MEASURED_FROM_SECOND = 2;
    private static final int MEASURED_TO_SECOND = 10;
    @TempDir
    static Path tempDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(tempDir.resolve("data"), Map.of(
                "quota.window.num", "2", "quota.window.size.seconds", "1", "controller.quota.window.num", "2"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    private static ClientQuotaEntity entity(String... typeAndName) {
        Map<String, String> parts = new HashMap<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            parts.put(typeAndName[i], typeAndName[i + 1]);
        }
        return new ClientQuotaEntity(parts);
    }

    private static void alter(ClientQuotaEntity entity, String key, Double value) {
        Clients.get(admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                List.of(new ClientQuotaAlteration.Op(key, value))))).all());
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(ClientQuotaFilter filter) {
        return Clients.get(admin.describeClientQuotas(filter).entities());
    }

    @Test
    void kafkaConfigsSetsDescribesAndDeletesQuotas() throws Exception {
        KafkaToolRun add = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--add-config",
                "producer_byte_rate=1048576,consumer_byte_rate=2097152", "--entity-type", "clients",
                "--entity-name", "tool-client");
        assertEquals(0, add.exitCode(), add.toString());
        KafkaToolRun addDefault = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--add-config",
                "request_percentage=150", "--entity-type", "users", "--entity-default", "--entity-type", "clients",
                "--entity-name", "tool-client");
        assertEquals(0, addDefault.exitCode(), addDefault.toString());
        KafkaToolRun addUser = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--add-config",
                "controller_mutation_rate=10", "--entity-type", "users", "--entity-name", "tool-user");
        assertEquals(0, addUser.exitCode(), addUser.toString());

        KafkaToolRun client = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "clients", "--entity-name", "tool-client");
        assertTrue(client.stdout().contains("Quota configs for client-id 'tool-client' are "), client.stdout());
        assertTrue(client.stdout().contains("producer_byte_rate=1048576.0"), client.stdout());
        assertTrue(client.stdout().contains("consumer_byte_rate=2097152.0"), client.stdout());
        KafkaToolRun both = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "users", "--entity-default", "--entity-type", "clients", "--entity-name", "tool-client");
        assertTrue(both.stdout().contains("Quota configs for the default user-principal, client-id 'tool-client' are "
                + "request_percentage=150.0"), both.stdout());
        KafkaToolRun users = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "users");
        assertTrue(users.stdout().contains("Quota configs for user-principal 'tool-user' are controller_mutation_rate=10.0"),
                users.stdout());

        KafkaToolRun delete = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--delete-config",
                "producer_byte_rate,consumer_byte_rate", "--entity-type", "clients", "--entity-name", "tool-client");
        assertEquals(0, delete.exitCode(), delete.toString());
        alter(entity("user", null, "client-id", "tool-client"), "request_percentage", null);
        alter(entity("user", "tool-user"), "controller_mutation_rate", null);
        assertTrue(describe(ClientQuotaFilter.all()).keySet().stream().noneMatch(e ->
                e.entries().containsValue("tool-client") || e.entries().containsValue("tool-user")));
        KafkaToolRun gone = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "clients", "--entity-name", "tool-client");
        assertTrue(!gone.stdout().contains("Quota configs"), gone.stdout());
    }

    @Test
    void adminDescribesWithEveryFilterAndRefusesBadInput() {
        ClientQuotaEntity alice = entity("user", "alice");
        ClientQuotaEntity aliceApp = entity("user", "alice", "client-id", "app");
        ClientQuotaEntity defaultClient = entity("client-id", null);
        int others = describe(ClientQuotaFilter.all()).size();
        try {
            alter(alice, "producer_byte_rate", 1000.0);
            alter(aliceApp, "consumer_byte_rate", 2000.0);
            alter(defaultClient, "request_percentage", 400.0);
            assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1000.0)),
                    describe(ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))));
            assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1000.0), aliceApp, Map.of("consumer_byte_rate", 2000.0)),
                    describe(ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))));
            assertEquals(Map.of(defaultClient, Map.of("request_percentage", 400.0)), describe(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofDefaultEntity("client-id")))));
            assertEquals(Map.of(aliceApp, Map.of("consumer_byte_rate", 2000.0)), describe(ClientQuotaFilter.contains(
                    List.of(ClientQuotaFilterComponent.ofEntityType("client-id"),
                            ClientQuotaFilterComponent.ofEntityType("user")))));
            assertEquals(others + 3, describe(ClientQuotaFilter.all()).size());

            Clients.get(admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity("client-id", "dry"),
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 5.0)))),
                    new AlterClientQuotasOptions().validateOnly(true)).all());
            assertEquals(others + 3, describe(ClientQuotaFilter.all()).size(), "validate_only writes nothing");

            for (ClientQuotaAlteration bad : List.of(
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("bogus_rate", 1.0))),
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 10.5))),
                    new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", -1.0))),
                    new ClientQuotaAlteration(entity("ip", "127.0.0.1"),
                            List.of(new ClientQuotaAlteration.Op("connection_creation_rate", 10.0))))) {
                Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                        () -> Clients.get(admin.alterClientQuotas(List.of(bad)).all()));
                assertInstanceOf(InvalidRequestException.class, failed.getCause(), bad.toString());
            }
            assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1000.0)), describe(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))), "a refused change leaves it as it was");
        } finally {
            alter(alice, "producer_byte_rate", null);
            alter(aliceApp, "consumer_byte_rate", null);
            alter(defaultClient, "request_percentage", null);
        }
        assertEquals(others, describe(ClientQuotaFilter.all()).size());
    }

    @Test
    void aThrottledProducerKeepsToItsQuotaUntilTheQuotaIsRemoved() {
        String topic = "quota-produce";
        Clients.createTopic(admin, topic, 1, Map.of());
        ClientQuotaEntity producerEntity = entity("client-id", "quota-producer");
        alter(producerEntity, "producer_byte_rate", (double) QUOTA);
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(broker.bootstrap(), Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "quota-producer", ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BUFFER_MEMORY_CONFIG, 256 * 1024))) {
            AckTimes acks = new AckTimes();
            long start = System.nanoTime();
            // As in Kafka, a client sending flat out gets its quota in bursts repeating every
            // samples x window (2 s here): measured over four of them, from the second second on
            // (the first window's allowance spent), the rate is the quota.
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(MEASURED_TO_SECOND)) {
                producer.send(new ProducerRecord<>(topic, VALUE), (metadata, e) -> acks.add(e == null ? VALUE.length : 0));
            }
            producer.flush();
            double rate = acks.rate(start, MEASURED_FROM_SECOND, MEASURED_TO_SECOND);
            System.out.printf("ClientQuotasIT: producer acked %.0f B/s from %d s to %d s (quota %d B/s)%n", rate,
                    MEASURED_FROM_SECOND, MEASURED_TO_SECOND, QUOTA);
            assertTrue(Math.abs(rate - QUOTA) <= QUOTA * 0.2, "produced at " + rate + " B/s, quota " + QUOTA);
            assertTrue(metric(producer.metrics(), "produce-throttle-time-avg") > 0, "the producer saw throttle times");

            alter(producerEntity, "producer_byte_rate", null);
            long freed = System.nanoTime();
            for (int i = 0; i < 3000; i++) { // 3 MB: 15 s at the quota
                producer.send(new ProducerRecord<>(topic, VALUE));
            }
            producer.flush();
            double seconds = (System.nanoTime() - freed) / 1e9;
            assertTrue(seconds < 6, "3 MB took " + seconds + " s once the quota was removed");
        }
    }

    @Test
    void aThrottledConsumerIsHeldToItsQuota() {
        String topic = "quota-consume";
        Clients.createTopic(admin, topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> loader = Clients.bytesProducer(broker.bootstrap(), Map.of())) {
            for (int i = 0; i < 1000; i++) {
                loader.send(new ProducerRecord<>(topic, VALUE));
            }
            loader.flush();
        }
        ClientQuotaEntity consumerEntity = entity("client-id", "quota-consumer");
        alter(consumerEntity, "consumer_byte_rate", (double) QUOTA);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(broker.bootstrap(), Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "quota-consumer"))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(20);
            // One fetch may carry what the quota allows over quota.window.num - 1 windows (200 KB):
            // the second is over the quota and throttled.
            while (metric(consumer.metrics(), "fetch-throttle-time-max") <= 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    bytes += record.value().length;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ClientQuotasIT: consumer read %d B in %.1f s before its first throttle (quota %d B/s)%n",
                    bytes, seconds, QUOTA);
            assertTrue(metric(consumer.metrics(), "fetch-throttle-time-max") > 0, "the consumer saw throttle times");
            // Unthrottled, the first fetch would carry 1 MB (max.partition.fetch.bytes); with the
            // quota each carries at most 200 KB, and the second is throttled.
            assertTrue(bytes > 0 && bytes <= 2 * QUOTA * 1.2, "read " + bytes + " B in " + seconds + " s");
        } finally {
            alter(consumerEntity, "consumer_byte_rate", null);
        }
    }

    @Test
    void topicMutationsBeyondTheControllerMutationRateAreRefused() {
        ClientQuotaEntity mutator = entity("client-id", "quota-mutator");
        alter(mutator, "controller_mutation_rate", 1.0);
        CreateTopicsOptions noRetry = new CreateTopicsOptions().retryOnQuotaViolation(false);
        try (Admin limited = Clients.admin(broker.bootstrap(), Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "quota-mutator"))) {
            // The bucket holds 2 partitions (1/s over two 1 s windows); an admitted topic may overdraw it.
            Clients.get(limited.createTopics(List.of(new NewTopic("quota-mutations-1", 3, (short) 1)), noRetry).all());
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class, () -> Clients.get(
                    limited.createTopics(List.of(new NewTopic("quota-mutations-2", 1, (short) 1)), noRetry).all()));
            ThrottlingQuotaExceededException refused = assertInstanceOf(ThrottlingQuotaExceededException.class,
                    failed.getCause());
            assertTrue(refused.throttleTimeMs() > 0, "throttle time " + refused.throttleTimeMs());
            assertEquals(Set.of("quota-mutations-1"), Clients.get(admin.listTopics().names()).stream()
                    .filter(name -> name.startsWith("quota-mutations")).collect(Collectors.toSet()));
        } finally {
            alter(mutator, "controller_mutation_rate", null);
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    /** Bytes acknowledged (or read) with the time they arrived. Thread-safe. */
    private static final class AckTimes {
        private final List<long[]> events = new ArrayList<>();
        private final AtomicLong total = new AtomicLong();

        synchronized void add(long bytes) {
            if (bytes > 0) {
                events.add(new long[] {System.nanoTime(), bytes});
                total.addAndGet(bytes);
            }
        }

        /** Bytes per second that arrived from {@code fromSecond} to {@code toSecond} after {@code startNanos}. */
        synchronized double rate(long startNanos, int fromSecond, int toSecond) {
            long from = startNanos + TimeUnit.SECONDS.toNanos(fromSecond);
            long to = startNanos + TimeUnit.SECONDS.toNanos(toSecond);
            long bytes = events.stream().filter(e -> e[0] >= from && e[0] < to).mapToLong(e -> e[1]).sum();
            return bytes / (double) (toSecond - fromSecond);
        }
    }
}

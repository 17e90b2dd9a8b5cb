package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share groups' dead-letter topics (KIP-1191) with Apache Kafka's own {@link KafkaShareConsumer}
 * against one broker with {@code errors.deadletterqueue.auto.create.topics.enable=true} and the
 * default prefix {@code dlq.}: a rejected record lands in the group's existing dead-letter topic
 * as a headers-only record; a record past the delivery count limit lands, key and value copied, in
 * a topic the broker creates; a topic without the prefix, or without
 * {@code errors.deadletterqueue.group.enable}, gets nothing (the record is archived all the same);
 * the group configs are validated as Kafka validates them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareDeadLetterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> BROKER = Map.of(
            "errors.deadletterqueue.auto.create.topics.enable", "true",
            "offsets.topic.num.partitions", "1",
            "share.coordinator.state.topic.num.partitions", "1",
            "offsets.topic.replication.factor", "1");
    private static final Map<String, String> DLQ_ENABLED = Map.of("errors.deadletterqueue.group.enable", "true");

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, BROKER);
        admin = Clients.admin(broker.bootstrap());
        producer = Clients.producer(broker.bootstrap(), Map.of("linger.ms", 0));
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(producer, admin, broker);
    }

    @Test
    void aRejectedRecordLandsInTheGroupsDeadLetterTopicAsHeaders() throws Exception {
        Clients.createTopic(admin, "orders", 2, Map.of());
        Clients.createTopic(admin, "dlq.orders", 1, DLQ_ENABLED);
        Clients.setGroupConfigs(admin, "rejecting", Map.of("share.auto.offset.reset", "earliest",
                "errors.deadletterqueue.topic.name", "dlq.orders"));
        producer.send(new ProducerRecord<>("orders", 1, "k", "poison")).get();
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("rejecting")) {
            consumer.subscribe(List.of("orders"));
            ConsumerRecord<String, String> record = pollFor(consumer);
            consumer.acknowledge(record, AcknowledgeType.REJECT);
            consumer.commitSync();
        }
        ConsumerRecord<String, String> dead = readOne("dlq.orders");
        assertNull(dead.key(), "headers only without errors.deadletterqueue.copy.record.enable");
        assertNull(dead.value());
        assertEquals(Map.of("__dlq.errors.topic", "orders", "__dlq.errors.partition", "1",
                "__dlq.errors.offset", "0", "__dlq.errors.group", "rejecting", "__dlq.errors.delivery.count", "1",
                "__dlq.errors.message", "Offset rejected by client."), headers(dead));
    }

    @Test
    void aRecordPastTheDeliveryLimitIsCopiedToATopicTheBrokerCreates() throws Exception {
        Clients.createTopic(admin, "payments", 1, Map.of());
        Clients.setGroupConfigs(admin, "releasing", Map.of("share.auto.offset.reset", "earliest", "share.delivery.count.limit", "2",
                "errors.deadletterqueue.topic.name", "dlq.payments",
                "errors.deadletterqueue.copy.record.enable", "true"));
        producer.send(new ProducerRecord<>("payments", "key-1", "value-1")).get();
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("releasing")) {
            consumer.subscribe(List.of("payments"));
            for (int delivery = 1; delivery <= 2; delivery++) {
                ConsumerRecord<String, String> record = pollFor(consumer);
                assertEquals((short) delivery, record.deliveryCount().orElseThrow());
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
                consumer.commitSync();
            }
        }
        ConsumerRecord<String, String> dead = readOne("dlq.payments");
        assertEquals("key-1", dead.key());
        assertEquals("value-1", dead.value());
        assertEquals("2", headers(dead).get("__dlq.errors.delivery.count"));
        assertEquals("Offset delivery count exceeded the threshold.", headers(dead).get("__dlq.errors.message"));
        Config created = Clients.get(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                "dlq.payments"))).all()).values().iterator().next();
        assertEquals("true", created.get("errors.deadletterqueue.group.enable").value());
    }

    /**
     * A topic outside the prefix is neither created nor written, nor is an existing topic that
     * does not allow it; the records are archived all the same (the share-partition moves on).
     */
    @Test
    void topicsThePrefixOrTheTopicConfigRuleOutGetNothing() throws Exception {
        Clients.createTopic(admin, "refunds", 1, Map.of());
        Clients.createTopic(admin, "dlq.closed", 1, Map.of());
        Clients.setGroupConfigs(admin, "unprefixed", Map.of("share.auto.offset.reset", "earliest",
                "errors.deadletterqueue.topic.name", "refunds-dead"));
        Clients.setGroupConfigs(admin, "closed", Map.of("share.auto.offset.reset", "earliest",
                "errors.deadletterqueue.topic.name", "dlq.closed"));
        producer.send(new ProducerRecord<>("refunds", "r0")).get();
        for (String group : List.of("unprefixed", "closed")) {
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(group)) {
                consumer.subscribe(List.of("refunds"));
                consumer.acknowledge(pollFor(consumer), AcknowledgeType.REJECT);
                consumer.commitSync();
            }
            TopicPartition tp = new TopicPartition("refunds", 0);
            Await.until(group + " moved past the rejected record", WAIT, () -> {
                SharePartitionOffsetInfo info = Clients.get(admin.listShareGroupOffsets(
                        Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group)).get(tp);
                return info != null && info.startOffset() == 1;
            });
        }
        assertTrue(Clients.get(admin.listTopics().names()).stream().noneMatch(t -> t.equals("refunds-dead")),
                "a topic without the dlq. prefix is not created");
        TopicPartition closed = new TopicPartition("dlq.closed", 0);
        assertEquals(0L, Clients.get(admin.listOffsets(Map.of(closed,
                org.apache.kafka.clients.admin.OffsetSpec.latest())).all()).get(closed).offset());
    }

    @Test
    void theGroupConfigsAreValidatedAndDescribedAsKafkas() {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "validated");
        Clients.ClientCallFailed internal = assertThrows(Clients.ClientCallFailed.class,
                () -> Clients.setGroupConfigs(admin, "validated", Map.of("errors.deadletterqueue.topic.name", "__consumer_offsets")));
        assertInstanceOf(InvalidConfigurationException.class, internal.getCause());
        assertTrue(internal.getCause().getMessage().contains("DLQ topic name must not start with '__'"),
                internal.getCause().getMessage());
        Clients.ClientCallFailed notBoolean = assertThrows(Clients.ClientCallFailed.class,
                () -> Clients.setGroupConfigs(admin, "validated", Map.of("errors.deadletterqueue.copy.record.enable", "maybe")));
        assertInstanceOf(InvalidConfigurationException.class, notBoolean.getCause());

        Clients.setGroupConfigs(admin, "validated", Map.of("errors.deadletterqueue.topic.name", "dlq.validated"));
        Config described = Clients.get(admin.describeConfigs(List.of(group)).all()).get(group);
        assertEquals("dlq.validated", described.get("errors.deadletterqueue.topic.name").value());
        ConfigEntry copy = described.get("errors.deadletterqueue.copy.record.enable");
        assertEquals("false", copy.value());
        assertEquals(ConfigEntry.ConfigType.BOOLEAN, copy.type());
    }

    private static ConsumerRecord<String, String> readOne(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        Await.until("a record in " + topic, WAIT, () -> Clients.get(admin.listTopics().names()).contains(topic)
                && Clients.get(admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).all())
                .get(tp).offset() > 0);
        List<ConsumerRecord<String, String>> records = Clients.readAll(broker.bootstrap(), tp, 0);
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** Polls until one record comes, and answers it (a poll may bring one record only here). */
    private static ConsumerRecord<String, String> pollFor(KafkaShareConsumer<String, String> consumer) {
        ConsumerRecord<String, String>[] got = new ConsumerRecord[1];
        Await.until("a record", WAIT, () -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                got[0] = record;
            }
            return got[0] != null;
        });
        return got[0];
    }

    private static KafkaShareConsumer<String, String> shareConsumer(String groupId) {
        return Clients.shareConsumer(broker.bootstrap(), groupId, Map.of("share.acknowledgement.mode", "explicit"));
    }
}

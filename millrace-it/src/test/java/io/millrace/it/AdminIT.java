package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AdminClient against one in-process node: topic lifecycle, configs (topic and broker
 * resources), partitions, records, offsets, cluster — and Metadata auto-creation (compatibility
 * items 5, 6).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminIT {
    private static final String STATIC_SEGMENT_BYTES = "8388608";
    private static final int DEFAULT_PARTITIONS = 2;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of(
                "num.partitions", Integer.toString(DEFAULT_PARTITIONS),
                "log.segment.bytes", STATIC_SEGMENT_BYTES,
                "auto.create.topics.enable", "true"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void createTopicsWithPartitionsAndConfigsThenDescribeThem() {
        Clients.createTopic(admin, "created", 3, Map.of("retention.ms", "3600000", "cleanup.policy", "delete"));
        TopicDescription description = describe("created");
        assertEquals(3, description.partitions().size());
        assertNotNull(description.topicId());
        assertNotEquals(Uuid.ZERO_UUID, description.topicId());
        description.partitions().forEach(p -> {
            assertEquals(InProcessBroker.NODE_ID, p.leader().id());
            assertEquals(1, p.replicas().size());
            assertEquals(1, p.isr().size());
        });
        TopicDescription byId = Clients.get(admin.describeTopics(TopicCollection.ofTopicIds(
                List.of(description.topicId()))).allTopicIds()).get(description.topicId());
        assertEquals("created", byId.name());
        assertTrue(Clients.get(admin.listTopics().names()).contains("created"));
    }

    @Test
    void validateOnlyCreatesNothing() {
        Clients.get(admin.createTopics(List.of(new NewTopic("validated-only", 4, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all());
        assertFalse(Clients.get(admin.listTopics().names()).contains("validated-only"));
        Throwable error = failureOf(() -> describe("validated-only"));
        assertInstanceOf(UnknownTopicOrPartitionException.class, error);
    }

    @Test
    void invalidCreationsAreRejectedWithTheirOwnErrors() {
        Clients.createTopic(admin, "duplicate", 1, Map.of());
        assertInstanceOf(TopicExistsException.class,
                failureOf(() -> Clients.createTopic(admin, "duplicate", 1, Map.of())));
        assertInstanceOf(InvalidTopicException.class,
                failureOf(() -> Clients.createTopic(admin, "bad/name", 1, Map.of())));
        assertInstanceOf(InvalidTopicException.class,
                failureOf(() -> Clients.createTopic(admin, "x".repeat(250), 1, Map.of())));
        assertInstanceOf(InvalidReplicationFactorException.class,
                failureOf(() -> Clients.get(admin.createTopics(List.of(
                        new NewTopic("three-replicas", 1, (short) 3))).all())));
        assertInstanceOf(InvalidConfigurationException.class,
                failureOf(() -> Clients.createTopic(admin, "bad-config", 1, Map.of("retention.ms", "soon"))));
        Throwable tiered = failureOf(() -> Clients.createTopic(admin, "tiered", 1, Map.of("remote.storage.enable", "true")));
        assertInstanceOf(InvalidConfigurationException.class, tiered);
        assertTrue(tiered.getMessage().contains("remote.storage.enable"), tiered.getMessage());
        Set<String> names = Clients.get(admin.listTopics().names());
        assertFalse(names.contains("three-replicas"));
        assertFalse(names.contains("bad-config"));
        assertFalse(names.contains("tiered"));
    }

    @Test
    void describeConfigsOfATopicShowsSourcesAndSynonyms() {
        Clients.createTopic(admin, "configured", 1, Map.of("retention.ms", "3600000"));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
        Config config = Clients.get(admin.describeConfigs(List.of(resource),
                new DescribeConfigsOptions().includeSynonyms(true)).all()).get(resource);

        ConfigEntry retention = config.get("retention.ms");
        assertEquals("3600000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertFalse(retention.isDefault());
        assertFalse(retention.synonyms().isEmpty(), "synonyms were asked for");
        assertEquals("retention.ms", retention.synonyms().get(0).name());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.synonyms().get(0).source());
        assertTrue(retention.synonyms().stream().anyMatch(s -> s.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG
                        && s.name().startsWith("log.retention.")),
                "the broker default is a synonym: " + retention.synonyms());

        ConfigEntry cleanup = config.get("cleanup.policy");
        assertEquals("delete", cleanup.value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, cleanup.source());

        ConfigEntry segmentBytes = config.get("segment.bytes");
        assertEquals(STATIC_SEGMENT_BYTES, segmentBytes.value());
        assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, segmentBytes.source());
        assertTrue(segmentBytes.synonyms().stream().anyMatch(s -> s.name().equals("log.segment.bytes")
                && s.source() == ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG), segmentBytes.synonyms().toString());

        for (ConfigEntry entry : config.entries()) {
            assertTrue(Set.of(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.DEFAULT_CONFIG,
                    ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG).contains(entry.source()), entry.toString());
        }

        Config withoutSynonyms = Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertTrue(withoutSynonyms.get("retention.ms").synonyms().isEmpty());
    }

    /** Compatibility item 6: tools such as ksqlDB describe the broker resource. */
    @Test
    void describeConfigsOfTheBrokerResource() {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER,
                Integer.toString(InProcessBroker.NODE_ID));
        Config config = Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertNotNull(config.get("log.retention.hours"), "log.retention.hours is described");
        assertEquals("168", config.get("log.retention.hours").value());
        assertEquals(STATIC_SEGMENT_BYTES, config.get("log.segment.bytes").value());
        assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, config.get("log.segment.bytes").source());
        assertEquals(Integer.toString(DEFAULT_PARTITIONS), config.get("num.partitions").value());
    }

    @Test
    void dynamicBrokerConfigsMillraceDoesNotSupportAreRefused() {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER,
                Integer.toString(InProcessBroker.NODE_ID));
        Throwable refused = failureOf(() -> alter(resource,
                new AlterConfigOp(new ConfigEntry("max.connections", "100"), AlterConfigOp.OpType.SET)));
        assertInstanceOf(InvalidConfigurationException.class, refused);
        assertTrue(refused.getMessage().contains("max.connections"), refused.getMessage());
        Config config = Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertEquals(Integer.toString(Integer.MAX_VALUE), config.get("max.connections").value());
    }

    @Test
    void incrementalAlterConfigsSetsAppendsAndDeletes() {
        Clients.createTopic(admin, "altered", 1, Map.of());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "altered");

        alter(resource, new AlterConfigOp(new ConfigEntry("retention.ms", "123456"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND));
        Config config = topicConfig(resource);
        assertEquals("123456", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("retention.ms").source());
        assertEquals(List.of("compact", "delete"), sortedList(config.get("cleanup.policy").value()));

        alter(resource, new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE));
        config = topicConfig(resource);
        assertEquals("604800000", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("retention.ms").source());

        assertInstanceOf(InvalidConfigurationException.class, failureOf(() -> alter(resource,
                new AlterConfigOp(new ConfigEntry("retention.ms", "not-a-number"), AlterConfigOp.OpType.SET))));
        assertEquals("604800000", topicConfig(resource).get("retention.ms").value(), "a rejected change changes nothing");
        // Ignored keys are accepted (with a warning in the broker log); unsupported ones refused.
        alter(resource, new AlterConfigOp(new ConfigEntry("segment.jitter.ms", "1000"), AlterConfigOp.OpType.SET));
        assertEquals("1000", topicConfig(resource).get("segment.jitter.ms").value());
        assertInstanceOf(InvalidConfigurationException.class, failureOf(() -> alter(resource,
                new AlterConfigOp(new ConfigEntry("remote.storage.enable", "true"), AlterConfigOp.OpType.SET))));
    }

    @Test
    void deleteTopicsByNameAndById() {
        Clients.createTopic(admin, "doomed-by-name", 1, Map.of());
        Clients.createTopic(admin, "doomed-by-id", 1, Map.of());
        Uuid id = describe("doomed-by-id").topicId();

        Clients.get(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("doomed-by-name"))).all());
        Clients.get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());

        Await.until("deleted topics are gone", Duration.ofSeconds(20), () -> {
            Set<String> names = Clients.get(admin.listTopics().names());
            return !names.contains("doomed-by-name") && !names.contains("doomed-by-id");
        });
        assertInstanceOf(UnknownTopicOrPartitionException.class, failureOf(() -> describe("doomed-by-name")));
        assertInstanceOf(UnknownTopicIdException.class, failureOf(() -> Clients.get(
                admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds())));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failureOf(() -> Clients.get(
                admin.deleteTopics(TopicCollection.ofTopicNames(List.of("doomed-by-name"))).all())));
    }

    @Test
    void createPartitionsGrowsATopicAndRefusesToShrinkIt() throws Exception {
        Clients.createTopic(admin, "growing", 3, Map.of());
        Clients.get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all());
        assertEquals(5, describe("growing").partitions().size());

        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("growing", 4, "k", "to the new partition"))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(4, sent.partition());
            assertEquals(0, sent.offset());
        }
        List<ConsumerRecord<String, String>> read =
                Clients.readAll(broker.bootstrap(), new TopicPartition("growing", 4), 0);
        assertEquals(List.of("to the new partition"), read.stream().map(ConsumerRecord::value).toList());

        assertInstanceOf(InvalidPartitionsException.class, failureOf(() -> Clients.get(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all())));
        assertInstanceOf(InvalidPartitionsException.class, failureOf(() -> Clients.get(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all())));
        assertEquals(5, describe("growing").partitions().size());
    }

    @Test
    void deleteRecordsMovesTheLogStartOffset() {
        String topic = "purged";
        Clients.createTopic(admin, topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        produceNumbered(topic, 10, null);

        long lowWatermark = Clients.get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6)))
                .lowWatermarks().get(tp)).lowWatermark();
        assertEquals(6, lowWatermark);
        assertEquals(6, listOffset(tp, OffsetSpec.earliest()).offset());
        assertEquals(10, listOffset(tp, OffsetSpec.latest()).offset());

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, tp, 10);
            assertEquals(List.of(6L, 7L, 8L, 9L), read.stream().map(ConsumerRecord::offset).toList());
            assertEquals("6", read.get(0).value());
        }
    }

    @Test
    void listOffsetsEarliestLatestForTimestampAndMaxTimestamp() {
        String topic = "offsets";
        Clients.createTopic(admin, topic, 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        long base = 1_700_000_000_000L;
        long[] timestamps = new long[10];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = base + i * 1_000L;
        }
        timestamps[7] = base + 100_000L;
        produceNumbered(topic, timestamps.length, timestamps);

        assertEquals(0, listOffset(tp, OffsetSpec.earliest()).offset());
        assertEquals(10, listOffset(tp, OffsetSpec.latest()).offset());
        ListOffsetsResultInfo at3500 = listOffset(tp, OffsetSpec.forTimestamp(base + 3_500));
        assertEquals(4, at3500.offset());
        assertEquals(base + 4_000, at3500.timestamp());
        assertEquals(0, listOffset(tp, OffsetSpec.forTimestamp(base - 1)).offset());
        assertEquals(-1, listOffset(tp, OffsetSpec.forTimestamp(base + 200_000)).offset(),
                "no record at or after the timestamp");
        ListOffsetsResultInfo max = listOffset(tp, OffsetSpec.maxTimestamp());
        assertEquals(7, max.offset());
        assertEquals(base + 100_000, max.timestamp());
    }

    @Test
    void describeClusterShowsOneNodeAndAClusterId() {
        DescribeClusterResult cluster = admin.describeCluster();
        Collection<Node> nodes = Clients.get(cluster.nodes());
        assertEquals(1, nodes.size());
        Node node = nodes.iterator().next();
        assertEquals(InProcessBroker.NODE_ID, node.id());
        assertEquals("127.0.0.1", node.host());
        assertEquals(broker.port(), node.port());
        String clusterId = Clients.get(cluster.clusterId());
        assertNotNull(clusterId);
        assertFalse(clusterId.isBlank());
    }

    /** Compatibility item 5: Metadata with allow_auto_topic_creation creates the topic. */
    @Test
    void producingToAnUnknownTopicCreatesItWhenAutoCreateIsOn() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>("auto-created", "k", "v"))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(0, sent.offset());
        }
        assertEquals(DEFAULT_PARTITIONS, describe("auto-created").partitions().size());
    }

    @Test
    void producingToAnUnknownTopicFailsWhenAutoCreateIsOff(@TempDir Path otherDataDir) {
        try (InProcessBroker strict = InProcessBroker.start(otherDataDir, Map.of("auto.create.topics.enable", "false"));
             Admin strictAdmin = Clients.admin(strict.bootstrap());
             KafkaProducer<String, String> producer = Clients.producer(strict.bootstrap(),
                     Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000))) {
            ExecutionException error = assertThrows(ExecutionException.class, () ->
                    producer.send(new ProducerRecord<>("not-auto-created", "k", "v")).get(30, TimeUnit.SECONDS));
            assertTrue(error.getCause() instanceof TimeoutException
                            || error.getCause() instanceof UnknownTopicOrPartitionException,
                    "expected a timeout or unknown topic, got " + error.getCause());
            assertFalse(Clients.get(strictAdmin.listTopics().names()).contains("not-auto-created"));
        }
    }

    private static void produceNumbered(String topic, int count, long[] timestamps) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < count; i++) {
                Long timestamp = timestamps == null ? null : timestamps[i];
                producer.send(new ProducerRecord<>(topic, 0, timestamp, "k" + i, Integer.toString(i)))
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("producing to " + topic + " failed", e);
        }
    }

    private static ListOffsetsResultInfo listOffset(TopicPartition tp, OffsetSpec spec) {
        return Clients.get(admin.listOffsets(Map.of(tp, spec)).partitionResult(tp));
    }

    private static TopicDescription describe(String topic) {
        return Clients.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private static Config topicConfig(ConfigResource resource) {
        return Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    private static void alter(ConfigResource resource, AlterConfigOp... ops) {
        Clients.get(admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all());
    }

    private static List<String> sortedList(String commaSeparated) {
        List<String> items = new ArrayList<>(List.of(commaSeparated.split(",")));
        items.replaceAll(String::trim);
        items.sort(null);
        return items;
    }

    /** Runs {@code call}, which must fail, and returns the client's exception. */
    private static Throwable failureOf(Runnable call) {
        Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class, call::run);
        return failed.getCause();
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareAcknowledgeResponse;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.tools.consumer.ConsoleShareConsumer;
import org.apache.kafka.tools.consumer.group.ShareGroupCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share groups (KIP-932) with Apache Kafka's own {@link KafkaShareConsumer} against one broker:
 * several consumers of one partition each get records and every record once; released records
 * come back with a higher delivery count, rejected ones never, and after
 * {@code share.delivery.count.limit} deliveries (a group config; the broker's
 * {@code group.share.delivery.count.limit} otherwise) a record is archived; records a consumer
 * killed with SIGKILL held go to another once their lock expires; a classic group and a share
 * group on one topic each get everything (and the admin client lists and describes the share
 * group); bad ShareFetch/ShareAcknowledge requests get Kafka's error codes; the share APIs and
 * {@code share.version=2} (with KIP-1191's dead-letter topics, {@link ShareDeadLetterIT}) are advertised. A ShareFetch opening a session for a member the group does not know is
 * served, as Kafka serves it (the partition leader cannot know every group's members).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareGroupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Short locks (3 s); groups that must see no redelivery get 30 s locks. */
    private static final Map<String, String> SHARE_TIMING = Map.of(
            "group.share.record.lock.duration.ms", "3000",
            "group.share.min.record.lock.duration.ms", "1000",
            "offsets.topic.num.partitions", "2",
            "share.coordinator.state.topic.num.partitions", "1",
            "offsets.topic.replication.factor", "1");

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, SHARE_TIMING);
        admin = Clients.admin(broker.bootstrap());
        producer = Clients.producer(broker.bootstrap(), Map.of("linger.ms", 0));
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(producer, admin, broker);
    }

    @Test
    void threeConsumersOfOnePartitionEachGetRecordsAndEveryRecordOnce() throws Exception {
        Clients.createTopic(admin, "shared", 1, Map.of());
        Clients.setGroupConfigs(admin, "three", Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "30000"));
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(Reader.start(broker.bootstrap(), "three", "shared", deliveries));
        }
        int produced = 0;
        try {
            // At least 300; more while a consumer still has none (one that joins late on a slow
            // machine would otherwise find every record taken), at most 3,000.
            while (produced < 300 || (produced < 3_000 && readers.stream().anyMatch(r -> r.received() == 0))) {
                producer.send(new ProducerRecord<>("shared", "r" + produced)).get(); // one batch per record
                produced++;
            }
            int all = produced;
            Await.until("all " + all + " records delivered", WAIT, () -> deliveries.size() == all);
        } finally {
            readers.forEach(Reader::close);
        }
        readers.forEach(r -> assertTrue(r.received() > 0, "every consumer got records: " + counts(readers)));
        assertEquals(produced, deliveries.values().stream().mapToInt(Integer::intValue).sum(),
                "no accepted record was delivered twice");
    }

    @Test
    void releasedRecordsComeBackRejectedOnesNeverAndTheDeliveryLimitArchives() throws Exception {
        Clients.createTopic(admin, "verdicts", 1, Map.of());
        Clients.setGroupConfigs(admin, "verdicts", Map.of("share.auto.offset.reset", "earliest", "share.delivery.count.limit", "2"));
        for (String value : List.of("accept", "release", "reject")) {
            producer.send(new ProducerRecord<>("verdicts", value)).get();
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("verdicts", "explicit")) {
            consumer.subscribe(List.of("verdicts"));
            List<ConsumerRecord<String, String>> first = Clients.pollShare(consumer, 3);
            for (ConsumerRecord<String, String> record : first) {
                assertEquals(Short.valueOf((short) 1), record.deliveryCount().orElseThrow());
                consumer.acknowledge(record, switch (record.value()) {
                    case "release" -> AcknowledgeType.RELEASE;
                    case "reject" -> AcknowledgeType.REJECT;
                    default -> AcknowledgeType.ACCEPT;
                });
            }
            consumer.commitSync();

            List<ConsumerRecord<String, String>> second = Clients.pollShare(consumer, 1);
            assertEquals("release", second.get(0).value());
            assertEquals(Short.valueOf((short) 2), second.get(0).deliveryCount().orElseThrow());
            consumer.acknowledge(second.get(0), AcknowledgeType.RELEASE); // its second delivery: the limit
            consumer.commitSync();

            producer.send(new ProducerRecord<>("verdicts", "marker")).get();
            List<ConsumerRecord<String, String>> third = Clients.pollShare(consumer, 1);
            assertEquals(List.of("marker"), third.stream().map(ConsumerRecord::value).toList(),
                    "available records are delivered first, so none is left but the marker");
            consumer.acknowledge(third.get(0), AcknowledgeType.ACCEPT);
            consumer.commitSync();
        }
    }

    /**
     * A consumer killed with SIGKILL while it holds acquired records: once their lock (3 s here)
     * expires they go to another consumer of the group, with delivery count 2.
     */
    @Test
    void recordsOfAKilledConsumerGoToAnotherOnceTheirLockExpires() throws Exception {
        Clients.createTopic(admin, "held", 1, Map.of());
        Clients.setGroupConfigs(admin, "held", Map.of("share.auto.offset.reset", "earliest"));
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>("held", "h" + i)).get();
        }
        producer.send(new ProducerRecord<>("held", "h-rest")).get();
        Path log = dataDir.resolve("holder.log");
        Process holder = ChildJvm.start(HoldingShareConsumer.class.getName(),
                List.of(broker.bootstrap(), "held", "held"), log);
        try {
            Await.until("the child holds records", WAIT,
                    () -> ChildJvm.lines(log).stream().anyMatch(l -> l.startsWith("HOLDING ")));
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
            try (KafkaShareConsumer<String, String> other = shareConsumer("held", "implicit")) {
                other.subscribe(List.of("held"));
                List<ConsumerRecord<String, String>> taken = Clients.pollShare(other, 6);
                assertEquals(6, taken.stream().map(ConsumerRecord::value).distinct().count(), taken.toString());
                assertTrue(taken.stream().anyMatch(r -> r.deliveryCount().orElseThrow() == 2),
                        "what the killed consumer held comes again: " + taken);
                other.commitSync();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aClassicGroupAndAShareGroupOnOneTopicEachGetEveryRecord() throws Exception {
        Clients.createTopic(admin, "both", 2, Map.of());
        Clients.setGroupConfigs(admin, "share-both", Map.of("share.auto.offset.reset", "earliest"));
        for (int i = 0; i < 50; i++) {
            producer.send(new ProducerRecord<>("both", "k" + i, "b" + i));
        }
        producer.flush();
        Set<String> classic = new TreeSet<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "classic-both"))) {
            consumer.subscribe(List.of("both"));
            Await.until("the classic group read all 50", WAIT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> classic.add(r.value()));
                return classic.size() == 50;
            });
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("share-both", "implicit")) {
            consumer.subscribe(List.of("both"));
            Set<String> shared = new TreeSet<>();
            Clients.pollShare(consumer, 50).forEach(r -> shared.add(r.value()));
            assertEquals(classic, shared);
            consumer.commitSync();

            ShareGroupDescription described = Clients.get(admin.describeShareGroups(List.of("share-both")).all())
                    .get("share-both");
            assertEquals(GroupState.STABLE, described.groupState());
            assertEquals(1, described.members().size());
            assertEquals(2, described.members().iterator().next().assignment().topicPartitions().size());
            assertTrue(Clients.get(admin.listGroups(ListGroupsOptions.forShareGroups()).all()).stream()
                    .anyMatch(g -> g.groupId().equals("share-both") && g.type().orElseThrow() == GroupType.SHARE));
        }
    }

    /**
     * The admin client's view of a share group's offsets (DescribeShareGroupOffsets, with lag) and
     * a reset of an empty group (AlterShareGroupOffsets): the next consumer starts there; then
     * kafka-share-groups.sh lists, describes, resets and deletes the group's offsets.
     */
    @Test
    void theAdminClientDescribesAndResetsAShareGroupsOffsets() throws Exception {
        Clients.createTopic(admin, "offsets", 1, Map.of());
        Clients.setGroupConfigs(admin, "offsets", Map.of("share.auto.offset.reset", "earliest"));
        for (int i = 0; i < 6; i++) {
            producer.send(new ProducerRecord<>("offsets", "o" + i)).get();
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("offsets", "implicit")) {
            consumer.subscribe(List.of("offsets"));
            Clients.pollShare(consumer, 6);
            consumer.commitSync();
        }
        producer.send(new ProducerRecord<>("offsets", "o6")).get();
        producer.send(new ProducerRecord<>("offsets", "o7")).get();
        TopicPartition tp = new TopicPartition("offsets", 0);
        Await.until("the group is empty", WAIT, () -> Clients.get(admin.describeShareGroups(List.of("offsets")).all())
                .get("offsets").groupState() == GroupState.EMPTY);
        SharePartitionOffsetInfo info = Clients.get(admin.listShareGroupOffsets(
                Map.of("offsets", new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo("offsets")).get(tp);
        assertEquals(6, info.startOffset(), info.toString());
        assertEquals(Optional.of(2L), info.lag(), info.toString());

        Clients.get(admin.alterShareGroupOffsets("offsets", Map.of(tp, 3L)).all());
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("offsets", "implicit")) {
            consumer.subscribe(List.of("offsets"));
            assertEquals(List.of("o3", "o4", "o5", "o6", "o7"),
                    Clients.pollShare(consumer, 5).stream().map(ConsumerRecord::value).toList());
            consumer.commitSync();
        }

        // kafka-share-groups.sh: --list, --describe (offsets and lag), --reset-offsets, --delete-offsets
        KafkaToolRun list = KafkaToolRun.run(ShareGroupCommand.class, broker.bootstrap(), "--list");
        assertTrue(list.stdout().lines().anyMatch(l -> l.trim().equals("offsets")), list.toString());
        KafkaToolRun described = KafkaToolRun.run(ShareGroupCommand.class, broker.bootstrap(), "--describe",
                "--group", "offsets");
        assertEquals("8", described.only("START-OFFSET"), described.toString());
        assertEquals("0", described.only("LAG"), described.toString());
        Await.until("the group is empty", WAIT, () -> Clients.get(admin.describeShareGroups(List.of("offsets")).all())
                .get("offsets").groupState() == GroupState.EMPTY);
        KafkaToolRun reset = KafkaToolRun.run(ShareGroupCommand.class, broker.bootstrap(), "--reset-offsets",
                "--group", "offsets", "--topic", "offsets", "--to-earliest", "--execute");
        assertEquals(0, reset.exitCode(), reset.toString());
        assertEquals(0, Clients.get(admin.listShareGroupOffsets(Map.of("offsets", new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo("offsets")).get(tp).startOffset());
        KafkaToolRun deleted = KafkaToolRun.run(ShareGroupCommand.class, broker.bootstrap(), "--delete-offsets",
                "--group", "offsets", "--topic", "offsets");
        assertEquals(0, deleted.exitCode(), deleted.toString());
        assertEquals(null, Clients.get(admin.listShareGroupOffsets(Map.of("offsets", new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo("offsets")).get(tp), "no state left");

        // --delete: the group and its share state go; a group of that id begins again from share.auto.offset.reset
        Clients.get(admin.alterShareGroupOffsets("offsets", Map.of(tp, 7L)).all());
        KafkaToolRun deletedGroup = KafkaToolRun.run(ShareGroupCommand.class, broker.bootstrap(), "--delete",
                "--group", "offsets");
        assertEquals(0, deletedGroup.exitCode(), deletedGroup.toString());
        assertTrue(Clients.get(admin.listGroups(ListGroupsOptions.forShareGroups()).all()).stream()
                .noneMatch(g -> g.groupId().equals("offsets")), "the group is gone");
        Clients.setGroupConfigs(admin, "offsets", Map.of("share.auto.offset.reset", "earliest"));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("offsets", "implicit")) {
            consumer.subscribe(List.of("offsets"));
            assertEquals("o0", Clients.pollShare(consumer, 1).get(0).value(), "not from offset 7: the state went too");
            consumer.commitSync();
        }
    }

    /** kafka-console-share-consumer.sh reads a topic through a share group. */
    @Test
    void theConsoleShareConsumerReadsATopic() throws Exception {
        Clients.createTopic(admin, "console", 1, Map.of());
        Clients.setGroupConfigs(admin, "console", Map.of("share.auto.offset.reset", "earliest"));
        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>("console", "c" + i)).get();
        }
        KafkaToolRun run = KafkaToolRun.run(ConsoleShareConsumer.class, broker.bootstrap(), "--topic", "console",
                "--group", "console", "--max-messages", "3", "--timeout-ms", "60000");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("c0", "c1", "c2"), run.stdout().lines().map(String::trim)
                .filter(l -> l.matches("c\\d")).toList(), run.toString());
    }

    /**
     * KIP-1191 with the broker's default {@code errors.deadletterqueue.auto.create.topics.enable=false}:
     * a group's dead-letter topic that does not exist is not created and gets nothing; the rejected
     * record is archived all the same (the rest is {@link ShareDeadLetterIT}'s, on a broker that creates them).
     */
    @Test
    void aMissingDeadLetterTopicIsNotCreatedWithoutAutoCreation() throws Exception {
        Clients.createTopic(admin, "undead", 1, Map.of());
        Clients.setGroupConfigs(admin, "undead", Map.of("share.auto.offset.reset", "earliest",
                "errors.deadletterqueue.topic.name", "dlq.undead"));
        producer.send(new ProducerRecord<>("undead", "u0")).get();
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("undead", "explicit")) {
            consumer.subscribe(List.of("undead"));
            consumer.acknowledge(Clients.pollShare(consumer, 1).get(0), AcknowledgeType.REJECT);
            consumer.commitSync();
        }
        TopicPartition tp = new TopicPartition("undead", 0);
        Await.until("the rejected record is archived", WAIT, () -> {
            SharePartitionOffsetInfo info = Clients.get(admin.listShareGroupOffsets(
                    Map.of("undead", new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo("undead")).get(tp);
            return info != null && info.startOffset() == 1;
        });
        assertTrue(Clients.get(admin.listTopics().names()).stream().noneMatch(t -> t.equals("dlq.undead")),
                "not created");
    }

    /** The share APIs at Kafka 4.4's versions, and share.version finalized at 2 (KIP-1191 dead-letter topics), as a new 4.4 cluster. */
    @Test
    void shareGroupsAreAdvertisedAtShareVersionTwo() {
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) connection.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("it").setClientSoftwareVersion("1"), (short) 3).data();
            for (ApiKeys key : List.of(ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_DESCRIBE, ApiKeys.SHARE_FETCH,
                    ApiKeys.SHARE_ACKNOWLEDGE, ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, ApiKeys.ALTER_SHARE_GROUP_OFFSETS,
                    ApiKeys.DELETE_SHARE_GROUP_OFFSETS)) {
                assertNotNull(versions.apiKeys().find(key.id), key + " advertised");
            }
            assertEquals(2, versions.finalizedFeatures().find("share.version").maxVersionLevel());
            assertEquals(2, versions.supportedFeatures().find("share.version").maxVersion());
        }
    }

    /**
     * Kafka's error codes for bad share requests: an unknown session, a session opened by
     * ShareAcknowledge, a stale session epoch, acknowledging records another member acquired or
     * that were never acquired.
     */
    @Test
    void badShareRequestsGetKafkasErrorCodes() throws Exception {
        Clients.createTopic(admin, "bad", 1, Map.of());
        Clients.setGroupConfigs(admin, "bad", Map.of("share.auto.offset.reset", "earliest"));
        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>("bad", "x" + i)).get();
        }
        Uuid topicId = Clients.get(admin.describeTopics(List.of("bad")).allTopicNames()).get("bad").topicId();
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            assertEquals(Errors.SHARE_SESSION_NOT_FOUND.code(), shareFetch(connection, "m1", 3, topicId, 0).errorCode());
            assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH.code(),
                    acknowledge(connection, "m1", 0, topicId, 0, 0).errorCode());

            ShareFetchResponseData opened = shareFetch(connection, "m1", 0, topicId, 5_000);
            assertEquals(Errors.NONE.code(), opened.errorCode());
            ShareFetchResponseData.PartitionData got = opened.responses().find(topicId).partitions().get(0);
            assertEquals(0, got.acquiredRecords().get(0).firstOffset());
            assertEquals(2, got.acquiredRecords().get(0).lastOffset());
            assertEquals(Errors.NONE.code(), shareFetch(connection, "m2", 0, topicId, 0).errorCode());

            assertEquals(Errors.INVALID_RECORD_STATE.code(), partitionError(acknowledge(connection, "m2", 1, topicId, 0, 0)),
                    "records another member acquired");
            assertEquals(Errors.INVALID_RECORD_STATE.code(), partitionError(acknowledge(connection, "m1", 1, topicId, 5, 5)),
                    "records never acquired");
            assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH.code(),
                    acknowledge(connection, "m1", 1, topicId, 0, 2).errorCode(), "epoch 1 was used already");
            assertEquals(Errors.NONE.code(), partitionError(acknowledge(connection, "m1", 2, topicId, 0, 2)));
            assertEquals(Errors.NONE.code(), acknowledge(connection, "m1", -1, topicId, 0, -1).errorCode());
            assertEquals(Errors.SHARE_SESSION_NOT_FOUND.code(), shareFetch(connection, "m1", 3, topicId, 0).errorCode());
        }
    }

    private static ShareFetchResponseData shareFetch(RawKafkaConnection connection, String memberId, int epoch,
                                                     Uuid topicId, int maxWaitMs) {
        ShareFetchRequestData request = new ShareFetchRequestData().setGroupId("bad").setMemberId(memberId)
                .setShareSessionEpoch(epoch).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
                .setMaxRecords(100).setBatchSize(100);
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId);
        topic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
        request.topics().add(topic);
        return ((ShareFetchResponse) connection.send(request)).data();
    }

    /** Accepts {@code first..last}; a negative {@code last} sends no acknowledgement. */
    private static ShareAcknowledgeResponseData acknowledge(RawKafkaConnection connection, String memberId, int epoch,
                                                            Uuid topicId, long first, long last) {
        ShareAcknowledgeRequestData request = new ShareAcknowledgeRequestData().setGroupId("bad")
                .setMemberId(memberId).setShareSessionEpoch(epoch);
        if (last >= 0) {
            ShareAcknowledgeRequestData.AcknowledgeTopic topic = new ShareAcknowledgeRequestData.AcknowledgeTopic()
                    .setTopicId(topicId);
            topic.partitions().add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0)
                    .setAcknowledgementBatches(List.of(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                            .setFirstOffset(first).setLastOffset(last).setAcknowledgeTypes(List.of((byte) 1)))));
            request.topics().add(topic);
        }
        return ((ShareAcknowledgeResponse) connection.send(request)).data();
    }

    private static short partitionError(ShareAcknowledgeResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode(), response.toString());
        return response.responses().iterator().next().partitions().get(0).errorCode();
    }
    private static String counts(List<Reader> readers) {
        return readers.stream().map(r -> String.valueOf(r.received())).toList().toString();
    }

    /** One share consumer on its own thread, accepting (implicitly) everything it gets. */
    private static final class Reader implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile int received;

        private Reader(String bootstrap, String groupId, String topic, Map<String, Integer> deliveries) {
            thread = new Thread(() -> {
                Properties props = new Properties();
                props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
                props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
                props.put("share.acquire.mode", "record_limit");
                try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props,
                        new StringDeserializer(), new StringDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            deliveries.merge(r.value(), 1, Integer::sum);
                            received++;
                        }
                    }
                    consumer.commitSync();
                }
            }, "share-reader");
            thread.setDaemon(true);
        }

        static Reader start(String bootstrap, String groupId, String topic, Map<String, Integer> deliveries) {
            Reader reader = new Reader(bootstrap, groupId, topic, deliveries);
            reader.thread.start();
            return reader;
        }

        int received() {
            return received;
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static KafkaShareConsumer<String, String> shareConsumer(String groupId, String acknowledgementMode) {
        return Clients.shareConsumer(broker.bootstrap(), groupId, Map.of("share.acknowledgement.mode", acknowledgementMode));
    }
}

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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets and the group admin APIs: offsets and metadata across a broker restart,
 * OffsetFetch of what was never committed (-1 and NONE, compat item 4), the errors of commits from
 * unknown members, stale generations and bad group ids (the broker stays up), OffsetDelete and
 * DeleteGroups refusing active groups, ListGroups filters and DescribeGroups of unknown groups.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OffsetsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500", "offsets.topic.num.partitions", "3"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stop() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void committedOffsetsSurviveARestartAndAConsumerResumesThere() throws Exception {
        String topic = "resume";
        Clients.createTopic(admin, topic, 2, Map.of());
        produce(topic, 2, 20);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), group("resume-group"))) {
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, 20);
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(6, "kept metadata"), p1, new OffsetAndMetadata(4)));
        }

        broker.restart();
        admin.close(Duration.ofSeconds(5));
        admin = Clients.admin(broker.bootstrap());

        Map<TopicPartition, OffsetAndMetadata> committed = Await.value("the offsets after the restart", WAIT, () -> {
            try {
                return Clients.get(admin.listConsumerGroupOffsets("resume-group").partitionsToOffsetAndMetadata());
            } catch (Clients.ClientCallFailed e) {
                return null; // still loading
            }
        });
        assertEquals(6, committed.get(p0).offset());
        assertEquals("kept metadata", committed.get(p0).metadata());
        assertEquals(4, committed.get(p1).offset());

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), group("resume-group"))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> resumed = pollUntil(consumer, 10);
            assertEquals(6, resumed.stream().filter(r -> r.partition() == 0).mapToLong(ConsumerRecord::offset).min().orElseThrow());
            assertEquals(4, resumed.stream().filter(r -> r.partition() == 1).mapToLong(ConsumerRecord::offset).min().orElseThrow());
            assertEquals(10, resumed.size());
        }
    }

    @Test
    void offsetFetchAnswersMinusOneAndNoneForWhatWasNeverCommitted() {
        String topic = "never-committed";
        Clients.createTopic(admin, topic, 2, Map.of());
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            awaitCoordinator(raw, "nobody-committed");
            OffsetFetchRequestData batched = new OffsetFetchRequestData().setRequireStable(true).setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("nobody-committed").setTopics(List.of(
                            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(List.of(0, 1)))),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("nobody-at-all").setTopics(null)));
            OffsetFetchResponseData response = (OffsetFetchResponseData) raw.send(batched, (short) 9).data();
            assertEquals(2, response.groups().size());
            OffsetFetchResponseData.OffsetFetchResponseGroup first = response.groups().get(0);
            assertEquals(Errors.NONE.code(), first.errorCode());
            for (var p : first.topics().get(0).partitions()) {
                assertEquals(-1, p.committedOffset());
                assertEquals(Errors.NONE.code(), p.errorCode());
            }
            assertEquals(Errors.NONE.code(), response.groups().get(1).errorCode());
            assertEquals(List.of(), response.groups().get(1).topics());

            OffsetFetchRequestData single = new OffsetFetchRequestData().setGroupId("nobody-committed").setTopics(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0))));
            OffsetFetchResponseData old = (OffsetFetchResponseData) raw.send(single, (short) 7).data();
            assertEquals(Errors.NONE.code(), old.errorCode());
            assertEquals(-1, old.topics().get(0).partitions().get(0).committedOffset());
            assertEquals(Errors.NONE.code(), old.topics().get(0).partitions().get(0).errorCode());
        }
    }

    @Test
    void badCommitsAndBadGroupIdsGetTheirErrorsAndTheBrokerStaysUp() {
        String topic = "guarded";
        Clients.createTopic(admin, topic, 1, Map.of());
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), group("guarded-group"));
             RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            consumer.subscribe(List.of(topic));
            Await.until("the consumer joined", WAIT, () -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            String memberId = consumer.groupMetadata().memberId();
            int generation = consumer.groupMetadata().generationId();

            assertEquals(Errors.UNKNOWN_MEMBER_ID, commit(raw, "guarded-group", "nobody", generation, topic, null));
            assertEquals(Errors.ILLEGAL_GENERATION, commit(raw, "guarded-group", memberId, generation + 5, topic, null));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, commit(raw, "guarded-group", "", -1, topic, null),
                    "an anonymous commit to a group with members");
            assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, commit(raw, "guarded-group", memberId, generation, topic,
                    "x".repeat(5000)));
            assertEquals(Errors.NONE, commit(raw, "guarded-group", memberId, generation, topic, "ok"));
            assertEquals(Errors.INVALID_GROUP_ID, commit(raw, "", "", -1, topic, null));
            assertEquals(Errors.INVALID_GROUP_ID, commit(raw, "g".repeat(10_000), "", -1, topic, null));

            JoinGroupResponseData join = (JoinGroupResponseData) raw.send(new JoinGroupRequestData().setGroupId("")
                    .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType("consumer")
                    .setProtocols(new JoinGroupRequestData.JoinGroupRequestProtocolCollection())).data();
            assertEquals(Errors.INVALID_GROUP_ID.code(), join.errorCode());
            HeartbeatResponseData heartbeat = (HeartbeatResponseData) raw.send(new HeartbeatRequestData()
                    .setGroupId("guarded-group").setMemberId("nobody").setGenerationId(generation)).data();
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat.errorCode());
            heartbeat = (HeartbeatResponseData) raw.send(new HeartbeatRequestData()
                    .setGroupId("guarded-group").setMemberId(memberId).setGenerationId(generation - 1)).data();
            assertEquals(Errors.ILLEGAL_GENERATION.code(), heartbeat.errorCode());

            // still serving: the consumer's committed offset is readable
            assertEquals("ok", Clients.get(admin.listConsumerGroupOffsets("guarded-group").partitionsToOffsetAndMetadata())
                    .get(new TopicPartition(topic, 0)).metadata());
        }
    }

    @Test
    void activeGroupsKeepTheirOffsetsAndExistenceUntilEmpty() throws Exception {
        String topic = "active";
        Clients.createTopic(admin, topic, 1, Map.of());
        produce(topic, 1, 5);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(), group("active-group"))) {
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, 5);
            consumer.commitSync();
            var notEmpty = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.deleteConsumerGroups(List.of("active-group")).all()));
            assertInstanceOf(GroupNotEmptyException.class, notEmpty.getCause());
            var subscribed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.deleteConsumerGroupOffsets("active-group", Set.of(tp)).all()));
            assertInstanceOf(GroupSubscribedToTopicException.class, subscribed.getCause());

            try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
                assertEquals(List.of("active-group"), listGroups(raw, List.of("Stable"), List.of("classic")));
                assertTrue(listGroups(raw, List.of("Empty"), List.of()).stream().noneMatch("active-group"::equals));
                assertEquals(List.of(), listGroups(raw, List.of(), List.of("consumer")).stream()
                        .filter("active-group"::equals).toList());
            }
        }
        Clients.get(admin.deleteConsumerGroupOffsets("active-group", Set.of(tp)).all());
        assertEquals(Map.of(), Clients.get(admin.listConsumerGroupOffsets("active-group").partitionsToOffsetAndMetadata()));
        Clients.get(admin.deleteConsumerGroups(List.of("active-group")).all());
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            assertTrue(listGroups(raw, List.of(), List.of()).stream().noneMatch("active-group"::equals));
            DescribeGroupsResponseData v6 = (DescribeGroupsResponseData) raw.send(new DescribeGroupsRequestData()
                    .setGroups(List.of("active-group")), (short) 6).data();
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), v6.groups().get(0).errorCode());
            DescribeGroupsResponseData v5 = (DescribeGroupsResponseData) raw.send(new DescribeGroupsRequestData()
                    .setGroups(List.of("active-group")), (short) 5).data();
            assertEquals(Errors.NONE.code(), v5.groups().get(0).errorCode());
            assertEquals("Dead", v5.groups().get(0).groupState());
        }
    }

    private static List<String> listGroups(RawKafkaConnection raw, List<String> states, List<String> types) {
        ListGroupsResponseData response = (ListGroupsResponseData) raw.send(new ListGroupsRequestData()
                .setStatesFilter(states).setTypesFilter(types), (short) 5).data();
        assertEquals(Errors.NONE.code(), response.errorCode());
        return response.groups().stream().map(ListGroupsResponseData.ListedGroup::groupId).toList();
    }

    private static Errors commit(RawKafkaConnection raw, String groupId, String memberId, int generation, String topic,
                                 String metadata) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(groupId).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(topic).setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(1).setCommittedMetadata(metadata)))));
        OffsetCommitResponseData response = (OffsetCommitResponseData) raw.send(request, (short) 9).data();
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    /** Waits until the group's coordinator partition has loaded (first lookups may create the topic). */
    private static void awaitCoordinator(RawKafkaConnection raw, String groupId) {
        Await.until("the coordinator of " + groupId + " serves", WAIT, () -> {
            OffsetFetchResponseData r = (OffsetFetchResponseData) raw.send(new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId).setTopics(null))),
                    raw.version(ApiKeys.OFFSET_FETCH)).data();
            return r.groups().get(0).errorCode() == Errors.NONE.code();
        });
    }

    private static Map<String, Object> group(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
        return props;
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Await.until(count + " records polled", WAIT, () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    private static void produce(String topic, int partitions, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, "v" + i)).get();
            }
        }
    }
}

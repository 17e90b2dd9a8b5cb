package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups with kafka-clients 4.4 consumers, {@code group.protocol=consumer} (KIP-848) and,
 * where the behaviour is the same, {@code classic}: sharing partitions, rebalancing as members
 * come and go without losing or repeating a record, fan-out to several groups, a killed member
 * losing its partitions after the session timeout, new partitions and regex subscriptions.
 * Heartbeats and session timeouts are shortened in the broker's configuration. Each test has
 * topics and groups of its own, and most of the time goes to waiting for a session to end, so
 * they run two at a time ({@code @Execution(CONCURRENT)}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsumerProtocolGroupIT {
    /** Short consumer-group timing: a 300 ms heartbeat, a 6 s session. */
    static final Map<String, String> GROUP_TIMING = Map.of(
            "group.consumer.heartbeat.interval.ms", "300",
            "group.consumer.min.heartbeat.interval.ms", "300",
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "4",
            "offsets.topic.replication.factor", "1");
    private static final Duration REBALANCE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, GROUP_TIMING);
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    /**
     * Three members over six partitions; a fourth joins, the first leaves; records keep flowing
     * throughout, and members commit what they processed when partitions are revoked.
     */
    @ParameterizedTest
    @Execution(ExecutionMode.CONCURRENT)
    @ValueSource(strings = {"consumer", "classic"})
    void membersShareAndHandOverPartitionsWithoutLossOrRepetition(String protocol) {
        String topic = "handoff-" + protocol;
        String group = "handoff-group-" + protocol;
        Clients.createTopic(admin, topic, 6, Map.of());
        TallyingConsumer.Tally tally = new TallyingConsumer.Tally();
        List<TallyingConsumer> members = new ArrayList<>();
        try (PacedProducer producer = new PacedProducer(broker.bootstrap(), topic, 6, 3)) {
            for (int i = 1; i <= 3; i++) {
                members.add(TallyingConsumer.start("c" + i, broker.bootstrap(), group, protocol, List.of(topic), tally));
            }
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, members, REBALANCE);

            members.add(TallyingConsumer.start("c4", broker.bootstrap(), group, protocol, List.of(topic), tally));
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, members, REBALANCE);
            int beforeLeave = producer.ackedCount();
            Await.until("records flow to the four members", REBALANCE, () -> tally.distinct() > beforeLeave);

            members.remove(0).close();
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, members, REBALANCE);

            Set<PacedProducer.Written> written = producer.stop();
            Await.until("every written record processed", REBALANCE, () -> tally.distinct() >= written.size());
            assertEquals(List.of(), tally.duplicates(), "records processed twice");
            assertEquals(written.size(), tally.distinct());
            written.forEach(w -> assertTrue(tally.contains(w.partition(), w.offset()), "lost " + w));
        } finally {
            members.forEach(TallyingConsumer::close);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void twoGroupsEachReceiveEveryRecord() {
        String topic = "fanout";
        Clients.createTopic(admin, topic, 3, Map.of());
        TallyingConsumer.Tally first = new TallyingConsumer.Tally();
        TallyingConsumer.Tally second = new TallyingConsumer.Tally();
        List<TallyingConsumer> members = new ArrayList<>();
        try {
            members.add(TallyingConsumer.start("a1", broker.bootstrap(), "fanout-a", "consumer", List.of(topic), first));
            members.add(TallyingConsumer.start("a2", broker.bootstrap(), "fanout-a", "consumer", List.of(topic), first));
            members.add(TallyingConsumer.start("b1", broker.bootstrap(), "fanout-b", "consumer", List.of(topic), second));
            produce(topic, 3, 300);

            Await.until("group a has every record", REBALANCE, () -> first.distinct() == 300);
            Await.until("group b has every record", REBALANCE, () -> second.distinct() == 300);
            assertEquals(List.of(), first.duplicates());
            assertEquals(List.of(), second.duplicates());
        } finally {
            members.forEach(TallyingConsumer::closeToleratingStaleCommit);
        }
    }

    @ParameterizedTest
    @Execution(ExecutionMode.CONCURRENT)
    @ValueSource(strings = {"consumer", "classic"})
    void aKilledMemberLosesItsPartitionsAfterTheSessionTimeout(String protocol, @TempDir Path logDir) {
        String topic = "killed-" + protocol;
        String group = "killed-group-" + protocol;
        Clients.createTopic(admin, topic, 6, Map.of());
        TallyingConsumer.Tally tally = new TallyingConsumer.Tally();
        List<TallyingConsumer> members = new ArrayList<>();
        try (KilledConsumer doomed = KilledConsumer.start(broker.bootstrap(), group, protocol, topic,
                logDir.resolve("killed-consumer.log"))) {
            doomed.awaitPartitions(REBALANCE);
            members.add(TallyingConsumer.start("s1", broker.bootstrap(), group, protocol, List.of(topic), tally));
            members.add(TallyingConsumer.start("s2", broker.bootstrap(), group, protocol, List.of(topic), tally));
            Await.until("the survivors share the partitions with the doomed member", REBALANCE, () ->
                    members.stream().allMatch(m -> !m.assignment().isEmpty())
                            && members.stream().mapToInt(m -> m.assignment().size()).sum() < 6);

            doomed.kill();
            long killedAt = System.nanoTime();
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, members, REBALANCE);
            long afterMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(afterMs >= 3_000, "partitions moved after " + afterMs + " ms, before the 6 s session ended");

            produce(topic, 6, 60);
            Await.until("the survivors consume every partition", REBALANCE, () -> tally.distinct() >= 60);
        } finally {
            members.forEach(TallyingConsumer::close);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void newPartitionsOfASubscribedTopicReachTheGroup() throws Exception {
        String topic = "growing";
        Clients.createTopic(admin, topic, 2, Map.of());
        TallyingConsumer.Tally tally = new TallyingConsumer.Tally();
        try (TallyingConsumer member = TallyingConsumer.start("g1", broker.bootstrap(), "growing-group", "consumer",
                List.of(topic), tally)) {
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 2, List.of(member), REBALANCE);

            Clients.get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all());

            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 4, List.of(member), REBALANCE);
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
                long offset = producer.send(new ProducerRecord<>(topic, 3, "k", "v")).get().offset();
                Await.until("the record on a new partition is consumed", REBALANCE,
                        () -> tally.contains(new TopicPartition(topic, 3), offset));
            }
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aRegexSubscriptionPicksUpTopicsCreatedLater() {
        Clients.createTopic(admin, "regex-first", 1, Map.of());
        TallyingConsumer.Tally tally = new TallyingConsumer.Tally();
        try (TallyingConsumer member = TallyingConsumer.startPattern("r1", broker.bootstrap(), "regex-group", "regex-.*",
                tally)) {
            Await.until("the matching topic is assigned", REBALANCE, () -> member.assignment().size() == 1);

            Clients.createTopic(admin, "regex-second", 2, Map.of());
            Clients.createTopic(admin, "other-topic", 1, Map.of());

            Await.until("the new matching topic is assigned too", REBALANCE, () -> member.assignment().equals(Set.of(
                    new TopicPartition("regex-first", 0), new TopicPartition("regex-second", 0),
                    new TopicPartition("regex-second", 1))));
            produce("regex-second", 2, 10);
            Await.until("its records are consumed", REBALANCE, () -> tally.distinct() == 10);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void adminDescribesAndListsTheGroup() {
        String topic = "described";
        Clients.createTopic(admin, topic, 4, Map.of());
        TallyingConsumer.Tally tally = new TallyingConsumer.Tally();
        List<TallyingConsumer> members = new ArrayList<>();
        try {
            members.add(TallyingConsumer.start("d1", broker.bootstrap(), "described-group", "consumer", List.of(topic), tally));
            members.add(TallyingConsumer.start("d2", broker.bootstrap(), "described-group", "consumer", List.of(topic), tally));
            TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 4, members, REBALANCE);

            ConsumerGroupDescription described = Await.value("a stable description", REBALANCE, () -> {
                ConsumerGroupDescription d = Clients.get(admin.describeConsumerGroups(List.of("described-group"))
                        .describedGroups().get("described-group"));
                return d.groupState() == GroupState.STABLE ? d : null;
            });
            assertEquals(GroupType.CONSUMER, described.type());
            assertEquals("uniform", described.partitionAssignor());
            assertEquals(2, described.members().size());
            assertEquals(4, described.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum());
            assertTrue(Clients.get(admin.listGroups().all()).stream().anyMatch(g -> g.groupId().equals("described-group")
                    && g.type().orElseThrow() == GroupType.CONSUMER));
        } finally {
            members.forEach(TallyingConsumer::close);
        }
    }

    /** The two APIs on the wire, at both versions, with the errors a client must see. */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theHeartbeatAndDescribeApisOnTheWire() {
        Clients.createTopic(admin, "wire", 2, Map.of());
        Clients.get(admin.listConsumerGroupOffsets("wire-group").all());   // the coordinator is up
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            assertEquals(1, connection.version(ApiKeys.CONSUMER_GROUP_HEARTBEAT));
            assertEquals(1, connection.version(ApiKeys.CONSUMER_GROUP_DESCRIBE));

            ConsumerGroupHeartbeatResponseData joined = Await.value("a v0 join without a member id", REBALANCE, () -> {
                ConsumerGroupHeartbeatResponseData r = heartbeat(connection, (short) 0, new ConsumerGroupHeartbeatRequestData()
                        .setGroupId("wire-group").setMemberId("").setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                        .setSubscribedTopicNames(List.of("wire")).setTopicPartitions(List.of()));
                return r.errorCode() == Errors.NONE.code() ? r : null;
            });
            assertTrue(!joined.memberId().isEmpty(), "the coordinator chose a member id");
            assertEquals(1, joined.memberEpoch());
            assertEquals(300, joined.heartbeatIntervalMs());
            assertEquals(List.of(0, 1), joined.assignment().topicPartitions().get(0).partitions());

            assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), heartbeat(connection, (short) 1, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId("wire-group").setMemberId(joined.memberId()).setMemberEpoch(7)).errorCode());
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(connection, (short) 1, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId("wire-group").setMemberId("nobody").setMemberEpoch(1)).errorCode());
            assertEquals(Errors.UNSUPPORTED_ASSIGNOR.code(), heartbeat(connection, (short) 1, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId("wire-group").setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0)
                    .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("wire")).setTopicPartitions(List.of())
                    .setServerAssignor("nope")).errorCode());
            assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(), heartbeat(connection, (short) 1,
                    new ConsumerGroupHeartbeatRequestData().setGroupId("wire-group").setMemberId(Uuid.randomUuid().toString())
                            .setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setSubscribedTopicRegex("wire(")
                            .setTopicPartitions(List.of())).errorCode());

            ConsumerGroupDescribeResponseData described = (ConsumerGroupDescribeResponseData) connection.send(
                    new ConsumerGroupDescribeRequestData().setGroupIds(List.of("wire-group", "no-such-group")), (short) 1).data();
            assertEquals("Stable", described.groups().get(0).groupState());
            assertEquals(1, described.groups().get(0).members().get(0).memberType());
            assertEquals("wire", described.groups().get(0).members().get(0).assignment().topicPartitions().get(0).topicName());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.groups().get(1).errorCode());

            ConsumerGroupHeartbeatResponseData left = heartbeat(connection, (short) 1, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId("wire-group").setMemberId(joined.memberId()).setMemberEpoch(-1));
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(-1, left.memberEpoch());
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeat(RawKafkaConnection connection, short version,
                                                               ConsumerGroupHeartbeatRequestData request) {
        return (ConsumerGroupHeartbeatResponseData) connection.send(request, version).data();
    }

    /** A broker of its own, restarted: the group's commits and the group itself are read back. */
    @ParameterizedTest
    @Execution(ExecutionMode.CONCURRENT)
    @ValueSource(strings = {"consumer", "classic"})
    void committedOffsetsSurviveARestartAndTheGroupResumesThere(String protocol, @TempDir Path ownData) {
        String topic = "resume";
        String group = "resume-group";
        try (InProcessBroker node = InProcessBroker.start(ownData, GROUP_TIMING);
             Admin nodeAdmin = Clients.admin(node.bootstrap())) {
            Clients.createTopic(nodeAdmin, topic, 3, Map.of());
            produceTo(node.bootstrap(), topic, 3, 90);
            TallyingConsumer.Tally before = new TallyingConsumer.Tally();
            try (TallyingConsumer member = TallyingConsumer.start("before", node.bootstrap(), group, protocol, List.of(topic),
                    before)) {
                Await.until("the first records are consumed", REBALANCE, () -> before.distinct() == 90);
            }
            produceTo(node.bootstrap(), topic, 3, 30);

            node.restart();

            Map<TopicPartition, Long> committed = Await.value("committed offsets after the restart", REBALANCE, () -> {
                var offsets = Clients.get(nodeAdmin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
                return offsets.size() == 3 ? offsets : null;
            }).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            assertEquals(Map.of(new TopicPartition(topic, 0), 30L, new TopicPartition(topic, 1), 30L,
                    new TopicPartition(topic, 2), 30L), committed);
            TallyingConsumer.Tally after = new TallyingConsumer.Tally();
            try (TallyingConsumer member = TallyingConsumer.start("after", node.bootstrap(), group, protocol, List.of(topic),
                    after)) {
                Await.until("the new records are consumed", REBALANCE, () -> after.distinct() == 30);
            }
            for (int p = 0; p < 3; p++) {
                assertTrue(!after.contains(new TopicPartition(topic, p), 29) && after.contains(new TopicPartition(topic, p), 30),
                        "partition " + p + " resumed at its committed offset");
            }
        }
    }

    private static void produce(String topic, int partitions, int count) {
        produceTo(broker.bootstrap(), topic, partitions, count);
    }

    static void produceTo(String bootstrap, String topic, int partitions, int count) {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, Integer.toString(i)));
            }
            producer.flush();
        }
    }
}

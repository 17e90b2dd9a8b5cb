package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classic group protocol with real kafka-clients consumers ({@code group.protocol=classic}):
 * partitions shared without overlap, rebalances as members come and go (eager and cooperative
 * assignors) with no record lost or processed twice, independent groups, session timeouts that
 * expel a dead member, and static membership that survives a restart without a rebalance.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassicGroupIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "500",
                "offsets.topic.num.partitions", "5"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stop() {
        Clients.closeAll(admin, broker);
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void membersSharePartitionsAndHandOffWithoutLossOrRepeats(String assignor) throws Exception {
        String topic = "handoff-" + assignor;
        String group = "handoff-group-" + assignor;
        Clients.createTopic(admin, topic, 6, Map.of());
        ConcurrentMap<String, Integer> processed = new ConcurrentHashMap<>();
        Map<String, Object> props = ClassicGroupMember.fastGroup(group, assignor);
        List<ClassicGroupMember> members = new ArrayList<>();
        try (ValueStream producer = ValueStream.start(broker.bootstrap(), topic)) {
            for (int i = 0; i < 3; i++) {
                members.add(ClassicGroupMember.start(broker.bootstrap(), topic, props, processed));
            }
            awaitPartitionsSplit(members, 6, "three members");
            members.forEach(m -> assertEquals(2, m.assignment().size(), "each of three members owns two partitions"));

            members.add(ClassicGroupMember.start(broker.bootstrap(), topic, props, processed));
            awaitPartitionsSplit(members, 6, "a fourth member");

            ClassicGroupMember leaving = members.remove(0);
            leaving.close();
            awaitPartitionsSplit(members, 6, "one member left");

            Set<String> sent = producer.stopAndFlush();
            assertTrue(sent.size() > 100, "the producer kept sending during the hand-offs");
            Await.until("every produced record processed", WAIT, () -> processed.keySet().containsAll(sent));
            Map<String, Integer> repeated = new HashMap<>();
            processed.forEach((value, times) -> {
                if (times != 1) {
                    repeated.put(value, times);
                }
            });
            assertEquals(Map.of(), repeated, "records processed more than once");
        } finally {
            members.forEach(ClassicGroupMember::close);
        }
    }

    @Test
    void twoGroupsEachReceiveEveryRecord() throws Exception {
        String topic = "two-groups";
        Clients.createTopic(admin, topic, 3, Map.of());
        Set<String> sent = produce(topic, 300);
        ConcurrentMap<String, Integer> first = new ConcurrentHashMap<>();
        ConcurrentMap<String, Integer> second = new ConcurrentHashMap<>();
        String range = "range";
        List<ClassicGroupMember> members = List.of(
                ClassicGroupMember.start(broker.bootstrap(), topic, ClassicGroupMember.fastGroup("group-a", range), first),
                ClassicGroupMember.start(broker.bootstrap(), topic, ClassicGroupMember.fastGroup("group-a", range), first),
                ClassicGroupMember.start(broker.bootstrap(), topic, ClassicGroupMember.fastGroup("group-b", range), second));
        try {
            Await.until("group-a read everything", WAIT, () -> first.keySet().containsAll(sent));
            Await.until("group-b read everything", WAIT, () -> second.keySet().containsAll(sent));
            assertEquals(300, first.size());
            assertEquals(300, second.size());
        } finally {
            members.forEach(ClassicGroupMember::close);
        }
    }

    @Test
    void aKilledMemberLosesItsPartitionsAfterTheSessionTimeout() throws Exception {
        String topic = "killed-member";
        Clients.createTopic(admin, topic, 6, Map.of());
        ConcurrentMap<String, Integer> processed = new ConcurrentHashMap<>();
        Map<String, Object> props = ClassicGroupMember.fastGroup("killed-group", "range");
        List<ClassicGroupMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(ClassicGroupMember.start(broker.bootstrap(), topic, props, processed));
            }
            awaitPartitionsSplit(members, 6, "three members");
            ClassicGroupMember killed = members.remove(2);
            long killedAt = System.nanoTime();
            killed.kill();
            awaitPartitionsSplit(members, 6, "the survivors after the session timeout");
            long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(tookMs >= 2_000, "the partitions moved after the 3 s session timeout, not at once: " + tookMs);
        } finally {
            members.forEach(ClassicGroupMember::close);
        }
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String topic = "static-members";
        Clients.createTopic(admin, topic, 6, Map.of());
        ConcurrentMap<String, Integer> processed = new ConcurrentHashMap<>();
        List<ClassicGroupMember> members = new ArrayList<>();
        try {
            for (String instance : List.of("a", "b", "c")) {
                members.add(ClassicGroupMember.start(broker.bootstrap(), topic, staticMember(instance), processed));
            }
            awaitPartitionsSplit(members, 6, "three static members");
            Await.until("every member saw one stable generation", WAIT,
                    () -> members.stream().allMatch(m -> m.generation() > 0)
                            && members.stream().map(ClassicGroupMember::generation).distinct().count() == 1);
            int generation = members.get(0).generation();
            Set<TopicPartition> ownedByB = members.get(1).assignment();
            List<Integer> assignedCallsOfOthers = List.of(members.get(0).assignedCalls(), members.get(2).assignedCalls());

            members.remove(1).close(); // a static member does not leave the group on close
            ClassicGroupMember restarted = ClassicGroupMember.start(broker.bootstrap(), topic, staticMember("b"), processed);
            members.add(1, restarted);
            Await.until("the restarted member owns its partitions again", WAIT,
                    () -> restarted.assignment().equals(ownedByB));

            assertEquals(generation, restarted.generation() <= 0 ? generation : restarted.generation(),
                    "the restarted member joined the same generation");
            assertEquals(assignedCallsOfOthers, List.of(members.get(0).assignedCalls(), members.get(2).assignedCalls()),
                    "the other members were not rebalanced");
            assertEquals(generation, members.get(0).generation());
        } finally {
            members.forEach(ClassicGroupMember::close);
        }
    }

    private static Map<String, Object> staticMember(String instanceId) {
        Map<String, Object> props = ClassicGroupMember.fastGroup("static-group", "range");
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000);
        return props;
    }

    /** Waits until the members own every partition between them, each exactly once, none idle. */
    static void awaitPartitionsSplit(List<ClassicGroupMember> members, int partitions, String what) {
        Await.until(what + " own all " + partitions + " partitions without overlap", WAIT, () -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (ClassicGroupMember m : members) {
                Set<TopicPartition> owned = m.assignment();
                if (owned.isEmpty()) {
                    return false;
                }
                union.addAll(owned);
                total += owned.size();
            }
            return union.size() == partitions && total == partitions;
        });
        for (ClassicGroupMember m : members) {
            assertEquals(List.of(), m.errors().stream().filter(e -> !(e instanceof org.apache.kafka.common.errors.RebalanceInProgressException)
                    && !(e instanceof org.apache.kafka.clients.consumer.CommitFailedException)).toList());
        }
    }

    private static Set<String> produce(String topic, int count) throws Exception {
        Set<String> values = new HashSet<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                String value = topic + "-" + i;
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)).get();
                values.add(value);
            }
        }
        return values;
    }

    /** Sends numbered values at a modest pace on its own thread until stopped. */
    static final class ValueStream implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final Set<String> acked = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean running = true;

        private ValueStream(String bootstrap, String topic) {
            producer = Clients.producer(bootstrap);
            thread = new Thread(() -> {
                for (int i = 0; running; i++) {
                    String value = topic + "-" + i;
                    producer.send(new ProducerRecord<>(topic, Integer.toString(i), value), (md, e) -> {
                        if (e == null) {
                            acked.add(value);
                        }
                    });
                    if (i % 20 == 19) {
                        try {
                            Thread.sleep(10); // pacing, not waiting for a condition
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "paced-producer");
            thread.setDaemon(true);
        }

        static ValueStream start(String bootstrap, String topic) {
            ValueStream p = new ValueStream(bootstrap, topic);
            p.thread.start();
            return p;
        }

        /** Stops, waits for every send to be answered, returns the acknowledged values. */
        Set<String> stopAndFlush() throws InterruptedException {
            running = false;
            thread.join(10_000);
            producer.flush();
            return Set.copyOf(acked);
        }

        @Override
        public void close() {
            running = false;
            producer.close(Duration.ofSeconds(5));
        }
    }
}

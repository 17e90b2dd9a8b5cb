package io.millrace.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 section 4, Kafka Streams: an application with {@code processing.guarantee=exactly_once_v2}
 * re-keys numbered records by colour ({@code selectKey}, so a repartition topic), counts them per
 * colour ({@code groupByKey().count()}: a state store with its changelog) and writes the counts
 * to an output topic. Read with read_committed, each colour's last count is exact and no count
 * ever exceeds it (a record processed twice would push one past it). Runs on one in-process node,
 * with one instance, and with two instances of which one, a child JVM, is killed (SIGKILL)
 * mid-stream and replaced.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamsExactlyOnceIT {
    private static final String INPUT = ColourCountApp.INPUT;
    private static final String OUTPUT = ColourCountApp.OUTPUT;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;
    InProcessBroker broker;
    Admin admin;
    final List<KafkaStreams> instances = new ArrayList<>();
    Process victim;

    @BeforeEach
    void startBroker() {
        // the group forms without the initial rebalance delay (3 s, and 3 s more per member joining);
        // the killed instance's open transaction (its successor has other transactional ids, so none
        // fences it) holds read_committed until its timeout: look for timed-out ones every second,
        // not every 10
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        admin = Clients.admin(broker.bootstrap());
        Clients.get(admin.createTopics(List.of(new NewTopic(INPUT, 3, (short) 1), new NewTopic(OUTPUT, 3, (short) 1)))
                .all());
    }

    @AfterEach
    void stop() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        instances.forEach(streams -> streams.close(Duration.ofSeconds(10)));
        Clients.closeAll(admin, broker);
    }

    @Test
    void oneInstanceCountsExactly() throws Exception {
        start("eos-one", "a");
        produce(0, 3_000);
        awaitExactCounts(3_000);
    }

    @Test
    void countsStayExactWhenAnInstanceIsKilledAndReplaced() throws Exception {
        start("eos-two", "a");
        Path victimLog = Path.of("target", "broker-logs", "StreamsExactlyOnceIT-instance-b.log");
        java.nio.file.Files.createDirectories(victimLog.getParent());
        victim = ColourCountApp.spawn(broker.bootstrap(), "eos-two", stateDir.resolve("b"), victimLog);
        Await.until("the child instance runs active tasks", TIMEOUT, () -> ColourCountApp.hasActiveTasks(victimLog));
        produce(0, 2_000);
        Await.until("the instances counted 1,000 records", TIMEOUT, () -> lastCounts().values().stream()
                .mapToLong(Long::longValue).sum() >= 1_000);
        victim.destroyForcibly(); // SIGKILL: its open transaction and group membership are left behind
        victim.waitFor(10, TimeUnit.SECONDS);
        produce(2_000, 4_000);
        start("eos-two", "c");
        produce(4_000, 6_000);
        awaitExactCounts(6_000);
    }

    private KafkaStreams start(String applicationId, String instance) {
        KafkaStreams streams = ColourCountApp.create(broker.bootstrap(), applicationId, stateDir.resolve(instance));
        instances.add(streams);
        streams.start();
        return streams;
    }

    private void produce(int from, int to) throws Exception {
        ColourCounts.produce(broker.bootstrap(), from, to);
    }

    private void awaitExactCounts(int total) {
        ColourCounts.awaitExact(broker.bootstrap(), total, TIMEOUT);
    }

    private Map<String, Long> lastCounts() {
        return ColourCounts.last(broker.bootstrap());
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long producers go without an acknowledgement when a partition leader dies (kill -9) or
 * freezes (SIGSTOP, then SIGCONT), with Kafka's DEFAULT timings (heartbeat 2 s, session 9 s,
 * replica lag 30 s), on three nodes, acks=all, min.insync.replicas=2. Prints the figures; asserts
 * only that acknowledgements resume (no timed assertion).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FailoverTimeIT extends ClusterTest {
    private static final Map<String, String> DEFAULT_TIMINGS = Map.of(
            "broker.heartbeat.interval.ms", "2000",
            "broker.session.timeout.ms", "9000",
            "replica.lag.time.max.ms", "30000");
    private static final Duration PAUSE = Duration.ofSeconds(12);

    @Test
    void killOfThePartitionLeader() throws Exception {
        measure("kill", "kill -9", (node) -> cluster.kill9(node));
    }

    @Test
    void killOfTheActiveControllerLeadingThePartition() throws Exception {
        leaderIsController = true;
        killOfThePartitionLeader();
    }

    @Test
    void pauseOfThePartitionLeader() throws Exception {
        measure("pause", "SIGSTOP for " + PAUSE.toSeconds() + " s", (node) -> {
            long pid = cluster.node(node).pid();
            signal("STOP", pid);
            Thread.sleep(PAUSE.toMillis());
            signal("CONT", pid);
        });
    }

    @Test
    void pauseOfTheActiveControllerLeadingThePartition() throws Exception {
        leaderIsController = true;
        pauseOfThePartitionLeader();
    }

    private boolean leaderIsController;

    private interface Fault {
        void inject(int node) throws Exception;
    }

    private void measure(String baseName, String baseWhat, Fault fault) throws Exception {
        String name = leaderIsController ? baseName + "-controller" : baseName;
        String what = leaderIsController ? baseWhat + " (also the active controller)" : baseWhat;
        cluster = ClusterHarness.start(getClass().getSimpleName() + "-" + name, 3, tempDir, DEFAULT_TIMINGS);
        cluster.processes().forEach(brokerLog::watch);
        if (leaderIsController) {
            int controller = Clients.get(cluster.admin().describeCluster().controller()).id();
            List<Integer> replicas = new ArrayList<>(List.of(controller));
            cluster.nodeIds().stream().filter(id -> id != controller).forEach(replicas::add);
            cluster.createTopic(cluster.admin(), new NewTopic("fo", Map.of(0, replicas))
                    .configs(Map.of("min.insync.replicas", "2")));
        } else {
            cluster.createTopic(cluster.admin(), "fo", 1, 3, Map.of("min.insync.replicas", "2"));
        }
        int leader = cluster.leaderOf(cluster.admin(), "fo", 0);
        try (AckTimeline producer = new AckTimeline(cluster.bootstrapServers(), "fo", 5)) {
            Await.until("acknowledgements flow", Duration.ofSeconds(30), () -> producer.ackedCount() > 200);
            long faultAt = System.currentTimeMillis();
            fault.inject(leader);
            Await.until("acknowledgements resume after " + what, Duration.ofSeconds(90),
                    () -> producer.firstAckAfter(faultAt + (what.startsWith("SIGSTOP") ? PAUSE.toMillis() : 0)) >= 0
                            && producer.ackedCount() > 0);
            long resumeWait = System.currentTimeMillis();
            Await.until("a few more acknowledgements", Duration.ofSeconds(30),
                    () -> producer.firstAckAfter(resumeWait + 1_000) >= 0);
            producer.stop();
            System.out.printf("FAILOVER %s of leader %d (default timings): first ack after %d ms, "
                            + "longest gap %d ms, %d acked, %d failed sends (first: %s)%n", what, leader,
                    producer.firstAckAfter(faultAt), producer.longestGapSince(faultAt - 1), producer.ackedCount(),
                    producer.failures(), producer.firstFailure());
            assertTrue(producer.firstAckAfter(faultAt) >= 0);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }
}

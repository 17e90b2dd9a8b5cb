package io.millrace.quorum;

import static io.millrace.quorum.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.TopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts each voter cleanly in turn, followers and the leader, while appends are in flight, with
 * a snapshot every few entries (so restarts load a snapshot and purge the log): no entry the quorum
 * acknowledged is ever lost or rolled back, on any node, and all nodes end with the same records.
 * (kill -9 of voters needs separate processes: millrace-it QuorumDurabilityIT.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VoterRestartDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void noAcknowledgedEntryIsLostAcrossCleanRestartsOfEveryVoter() throws Exception {
        Map<String, Uuid> acknowledged = new LinkedHashMap<>();
        int n = 0;
        try (TestCluster cluster = new TestCluster(dir, 3, 8)) {
            cluster.startAll();
            for (int round = 0; round < 2; round++) {
                for (int victim : List.copyOf(cluster.voters.keySet())) {
                    TestCluster.Node leader = cluster.awaitActive();
                    List<String> names = new ArrayList<>();
                    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
                    for (int i = 0; i < 15; i++, n++) {
                        String name = "t" + n;
                        names.add(name);
                        inFlight.add(leader.quorum().append(List.of(new TopicRecord(name, uuidOf(n)))));
                    }
                    cluster.stop(victim); // while appends are in flight; sometimes the leader itself
                    for (int i = 0; i < inFlight.size(); i++) {
                        try {
                            inFlight.get(i).get(20, TimeUnit.SECONDS);
                            acknowledged.put(names.get(i), uuidOf(Integer.parseInt(names.get(i).substring(1))));
                        } catch (Exception notAcknowledged) {
                            // not acknowledged: it may or may not have been committed
                        }
                    }
                    String marker = "m" + round + "-" + victim;
                    cluster.appendAtLeader(List.of(new TopicRecord(marker, Uuid.randomUuid())),
                            node -> node.publisher().image().topic(marker).isPresent());
                    acknowledged.put(marker, null);
                    cluster.start(victim);
                    awaitSameImage(cluster);
                    assertEveryNodeHolds(cluster, acknowledged);
                }
            }
            System.out.printf("%d acknowledged entries survived 6 clean voter restarts%n", acknowledged.size());
            cluster.close();
            cluster.startAll(); // whole quorum down and up: still all there
            cluster.awaitActive();
            awaitSameImage(cluster);
            assertEveryNodeHolds(cluster, acknowledged);
        }
    }

    @Test
    void aVoterBehindThePurgedLogCatchesUpFromAnInstalledSnapshot() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 4)) {
            cluster.startAll();
            TestCluster.Node leader = cluster.awaitActive();
            int behind = cluster.others(leader).get(0).id();
            cluster.stop(behind);
            for (int i = 0; i < 60; i++) {
                String name = "p" + i;
                cluster.appendAtLeader(List.of(new TopicRecord(name, uuidOf(i))),
                        node -> node.publisher().image().topic(name).isPresent());
            }
            TestCluster.Node restarted = cluster.start(behind); // the others purged their logs: it gets a snapshot
            awaitSameImage(cluster);
            assertTrue(restarted.publisher().image().topic("p59").isPresent());
            String after = "after-install";
            cluster.appendAtLeader(List.of(new TopicRecord(after, Uuid.randomUuid())),
                    node -> node.publisher().image().topic(after).isPresent());
            awaitSameImage(cluster); // its state machine still applies entries after the installation
        }
    }

    private static Uuid uuidOf(int n) {
        return new Uuid(0x5eedL, n + 1);
    }

    private static void assertEveryNodeHolds(TestCluster cluster, Map<String, Uuid> acknowledged) {
        for (TestCluster.Node node : cluster.nodes.values()) {
            MetadataImage image = node.publisher().image();
            for (Map.Entry<String, Uuid> entry : acknowledged.entrySet()) {
                assertTrue(image.topic(entry.getKey()).isPresent(),
                        "node " + node.id() + " lost acknowledged entry " + entry.getKey());
                if (entry.getValue() != null) {
                    assertEquals(entry.getValue(), image.topicIdByName().get(entry.getKey()));
                }
            }
        }
    }

    private static void awaitSameImage(TestCluster cluster) {
        await(Duration.ofSeconds(30), "every node at the same image", () -> {
            MetadataImage reference = null;
            for (TestCluster.Node node : cluster.nodes.values()) {
                MetadataImage image = node.publisher().image();
                if (reference == null) {
                    reference = image;
                } else if (!reference.equals(image)) {
                    return false;
                }
            }
            return true;
        });
    }
}

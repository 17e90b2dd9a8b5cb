package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The metadata quorum keeps every acknowledged entry while its voters are killed (kill -9) and
 * restarted cleanly (SIGTERM) in turn, under a stream of CreateTopics: after each restart, every
 * node (its own metadata image, asked through its own listener) lists every topic whose creation
 * was acknowledged so far. Nothing committed may vanish or be rolled back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QuorumDurabilityIT extends ClusterTest {

    @Test
    void acknowledgedMetadataSurvivesKillsAndCleanRestartsOfEveryVoter() throws Exception {
        startCluster(3);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Thread writer;
        boolean[] stop = {false};
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            writer = Thread.ofPlatform().name("topic-writer").daemon().start(() -> {
                for (int n = 0; !stop[0]; n++) {
                    String name = "d" + n;
                    try {
                        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
                        acknowledged.add(name);
                    } catch (Exception notAcknowledged) {
                        // not acknowledged (no controller for a moment): it may or may not exist
                    }
                }
            });
            for (String how : List.of("kill -9", "SIGTERM")) {
                for (int node : cluster.nodeIds()) {
                    Await.until("a few topics acknowledged", Duration.ofSeconds(30), () -> acknowledged.size() > 3);
                    int before = acknowledged.size();
                    if (how.equals("kill -9")) {
                        cluster.kill9(node);
                    } else {
                        cluster.stop(node);
                    }
                    Await.until("creations continue without node " + node, Duration.ofSeconds(60),
                            () -> acknowledged.size() > before + 3);
                    cluster.start(node);
                    Set<String> sofar = Set.copyOf(acknowledged);
                    for (int id : cluster.nodeIds()) {
                        assertEveryTopicListed(id, sofar);
                    }
                    System.out.printf("QUORUM durability: %s of node %d: %d acknowledged topics on every node%n",
                            how, node, sofar.size());
                }
            }
            stop[0] = true;
            writer.join(Duration.ofSeconds(20));
        }
        Set<String> all = Set.copyOf(acknowledged);
        for (int id : cluster.nodeIds()) {
            assertEveryTopicListed(id, all);
        }
        assertTrue(all.size() > 20, "few creations acknowledged: " + all.size());
    }

    /** Asks that one node (Metadata, all topics, over a raw connection): it answers from its own image. */
    private void assertEveryTopicListed(int nodeId, Set<String> expected) {
        Set<String> missing = new HashSet<>(expected);
        Await.until("node " + nodeId + " lists every acknowledged topic", Duration.ofSeconds(30), () -> {
            Set<String> listed = new HashSet<>();
            try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1",
                    cluster.node(nodeId).port())) {
                MetadataResponse response = (MetadataResponse) connection.send(
                        new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false));
                response.data().topics().forEach(t -> listed.add(t.name()));
            }
            missing.clear();
            missing.addAll(expected);
            missing.removeAll(listed);
            return missing.isEmpty();
        });
        assertEquals(Set.of(), missing, "node " + nodeId + " lost acknowledged topics");
    }
}

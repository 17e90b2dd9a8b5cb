package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5: the metadata quorum's leader (DescribeQuorum) is killed with SIGKILL; a
 * new one takes over and topic creation keeps working; the old leader comes back as a voter and
 * the quorum again serves all three nodes.
 *
 * <p>Issue 16: the killed node was also the active controller and led a partition. The new
 * controller must fence it at once because its process is gone (its listener refuses connections),
 * not after the broker session timeout: the session timeout is set to 60 s here, so a leadership
 * move within the 30 s the test waits can only come from that evidence.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuorumFailoverIT extends ClusterTest {
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);
    /** Twice {@link #FAILOVER_TIMEOUT}: no session can expire while the test waits for a failover. */
    private static final Map<String, String> LONG_SESSION = Map.of("broker.session.timeout.ms", "60000");

    @Test
    void topicCreationSurvivesTheQuorumLeadersDeath() throws Exception {
        startCluster(3, LONG_SESSION);
        Admin admin = cluster.admin();

        QuorumInfo before = Clients.get(admin.describeMetadataQuorum().quorumInfo());
        Set<Integer> voters = before.voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                .collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), voters, "every node is a voter");
        int oldLeader = before.leaderId();
        assertTrue(voters.contains(oldLeader), "the quorum has a leader: " + oldLeader);
        cluster.createTopic(admin, "before", 1, 3, Map.of());
        List<Integer> ledByOldLeader = new java.util.ArrayList<>(List.of(oldLeader));
        voters.stream().filter(id -> id != oldLeader).sorted().forEach(ledByOldLeader::add);
        cluster.createTopic(admin, new NewTopic("led-by-controller", Map.of(0, ledByOldLeader)));
        cluster.awaitLeader(admin, "led-by-controller", 0, oldLeader, FAILOVER_TIMEOUT);

        cluster.kill9(oldLeader);
        long killedAt = System.nanoTime();
        // Placed explicitly on the live nodes: the dead one is not fenced yet for a moment.
        List<Integer> live = cluster.runningNodes();
        cluster.createTopic(admin, new NewTopic("during", Map.of(0, live)));
        System.out.println("QuorumFailoverIT: quorum leader " + oldLeader + " killed; a topic was created "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms later");
        int newLeader = Await.value("a new quorum leader", FAILOVER_TIMEOUT, () -> {
            int leader = Clients.get(admin.describeMetadataQuorum().quorumInfo()).leaderId();
            return leader > 0 && leader != oldLeader ? leader : null;
        });
        assertTrue(Set.of(1, 2, 3).contains(newLeader) && newLeader != oldLeader, "new leader " + newLeader);
        cluster.awaitLeaderOtherThan(admin, "led-by-controller", 0, oldLeader, FAILOVER_TIMEOUT);
        System.out.println("QuorumFailoverIT: the dead controller's partition has a new leader "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms after the kill (rough: a loaded "
                + "machine; polled through Admin)");
        String fenced = "Fenced broker " + oldLeader + ": its process exited";
        assertTrue(cluster.runningNodes().stream().anyMatch(id -> logOf(id).contains(fenced)),
                "the new controller fenced the dead one on the evidence of its exit: '" + fenced + "'");
        assertWritable("during");
        assertWritable("led-by-controller");

        cluster.start(oldLeader);
        cluster.createTopic(admin, "after", 1, 3, Map.of());
        assertWritable("after");
        Await.until("the quorum again counts " + oldLeader + " as a voter that has caught up", FAILOVER_TIMEOUT,
                () -> {
                    QuorumInfo info = Clients.get(admin.describeMetadataQuorum().quorumInfo());
                    return info.voters().stream().anyMatch(v -> v.replicaId() == oldLeader
                            && v.logEndOffset() >= 0 && info.highWatermark() >= 0
                            && v.logEndOffset() >= info.highWatermark() - 1_000);
                });
        List<String> topics = List.copyOf(Clients.get(admin.listTopics().names()));
        assertTrue(topics.containsAll(List.of("before", "during", "after")), "topics " + topics);
    }

    private String logOf(int nodeId) {
        try {
            return java.nio.file.Files.readString(cluster.node(nodeId).logFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertWritable(String topic) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            long offset = producer.send(new ProducerRecord<>(topic, 0, null, "hello " + topic))
                    .get(30, TimeUnit.SECONDS).offset();
            List<ConsumerRecord<String, String>> read = Clients.readAll(cluster.bootstrapServers(),
                    new TopicPartition(topic, 0), offset);
            assertEquals("hello " + topic, read.get(0).value());
        }
    }
}

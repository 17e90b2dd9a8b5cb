package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5, on four nodes: a preferred-leader election (ElectLeaders PREFERRED) gives
 * leadership back to the first replica after a controlled shutdown moved it away, and a
 * reassignment (AlterPartitionReassignments) moves a replication-factor-3 partition from nodes
 * 1,2,3 to nodes 4,2,3; ListPartitionReassignments empties, and the data is intact on the new
 * replica set, read from node 4 once it leads.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReassignmentIT extends ClusterTest {
    private static final String TOPIC = "moving";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void preferredElectionAndReassignmentKeepTheData() throws Exception {
        startCluster(4);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, new NewTopic(TOPIC, Map.of(0, List.of(1, 2, 3)))
                .configs(Map.of("min.insync.replicas", "2")));
        cluster.awaitLeader(admin, TOPIC, 0, 1, TIMEOUT);
        List<String> expected = new ArrayList<>(produce("first", RECORDS));

        // Preferred election: a controlled shutdown moves leadership off node 1; it stays away
        // after node 1 returns (auto.leader.rebalance.enable=false) until ElectLeaders PREFERRED.
        cluster.stop(1);
        int interim = cluster.awaitLeaderOtherThan(admin, TOPIC, 0, 1, TIMEOUT);
        cluster.start(1);
        cluster.awaitIsr(admin, TOPIC, 0, 3, TIMEOUT);
        assertEquals(interim, cluster.leaderOf(admin, TOPIC, 0), "no automatic rebalance");
        cluster.electPreferredLeader(admin, TOPIC, 0, 1, TIMEOUT);
        assertEquals(expected, read(cluster.bootstrap(1), expected.size()));

        // Reassignment to another set of brokers: 1,2,3 -> 4,2,3, while a producer keeps writing.
        Clients.get(admin.alterPartitionReassignments(
                Map.of(PARTITION, Optional.of(new NewPartitionReassignment(List.of(4, 2, 3))))).all());
        expected.addAll(produce("during", 100));
        Await.until("the reassignment completes", TIMEOUT,
                () -> Clients.get(admin.listPartitionReassignments().reassignments()).isEmpty()
                        && cluster.replicasOf(admin, TOPIC, 0).equals(List.of(4, 2, 3)));
        cluster.awaitIsr(admin, TOPIC, 0, 3, TIMEOUT);
        assertEquals(Set.of(2, 3, 4), Set.copyOf(cluster.isrOf(admin, TOPIC, 0)));
        assertNotEquals(1, cluster.leaderOf(admin, TOPIC, 0), "node 1 no longer holds the partition");

        // Node 4, the new preferred replica, leads and serves every record.
        cluster.electPreferredLeader(admin, TOPIC, 0, 4, TIMEOUT);
        expected.addAll(produce("after", 100));
        assertEquals(expected, read(cluster.bootstrap(4), expected.size()));
    }

    private List<String> produce(String prefix, int count) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value)));
                values.add(value);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
        return values;
    }

    private List<String> read(String bootstrap, int count) {
        cluster.awaitEndOffset(bootstrap, PARTITION, count, TIMEOUT);
        return Clients.readAll(bootstrap, PARTITION, 0).stream().map(ConsumerRecord::value).toList();
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5: with replication factor 3 and min.insync.replicas=2, one follower stopped
 * shrinks the ISR and acks=all writes continue; two stopped and acks=all is refused with
 * NOT_ENOUGH_REPLICAS (nothing appended); restarted followers catch up and rejoin the ISR, and
 * a follower that was away holds every acknowledged record once it leads. The leader's /metrics
 * follows: under-replicated partitions 1 with one follower down, under min ISR with two, both 0
 * again once they rejoin, and the shrinks and expands counted.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class IsrIT extends ClusterTest {
    private static final String TOPIC = "isr";
    private static final Duration ISR_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 100;
    private static final String UNDER_REPLICATED = "kafka_server_replicamanager_underreplicatedpartitions";
    private static final String UNDER_MIN_ISR = "kafka_server_replicamanager_underminisrpartitioncount";

    @Test
    void theIsrShrinksAndGrowsAndMinInsyncReplicasGuardsAcksAll() throws Exception {
        startCluster(3, Map.of("millrace.metrics.listener", "127.0.0.1:0"));
        Admin admin = cluster.admin();
        cluster.createTopic(admin, TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
        int leader = cluster.leaderOf(admin, TOPIC, 0);
        int metrics = MetricsScrape.portFromLog(cluster.node(leader).logFile());
        MetricsScrape.awaitValue(metrics, 0, ISR_TIMEOUT, UNDER_REPLICATED);
        List<Integer> followers = new ArrayList<>(cluster.replicasOf(admin, TOPIC, 0));
        followers.remove(Integer.valueOf(leader));
        assertEquals(2, followers.size(), "replicas besides leader " + leader);

        List<String> written = new ArrayList<>();
        writeAcksAll(0, written);                                 // ISR of 3

        cluster.stop(followers.get(0));
        List<Integer> isr = cluster.awaitIsr(admin, TOPIC, 0, 2, ISR_TIMEOUT);
        assertEquals(List.of(leader, followers.get(1)).stream().sorted().toList(), isr.stream().sorted().toList());
        MetricsScrape.awaitValue(metrics, 1, ISR_TIMEOUT, UNDER_REPLICATED);
        MetricsScrape.awaitValue(metrics, 0, ISR_TIMEOUT, UNDER_MIN_ISR);
        writeAcksAll(1, written);                                 // ISR of 2 = min.insync.replicas: still fine

        cluster.stop(followers.get(1));
        assertEquals(List.of(leader), cluster.awaitIsr(admin, TOPIC, 0, 1, ISR_TIMEOUT));
        MetricsScrape.awaitValue(metrics, 1, ISR_TIMEOUT, UNDER_MIN_ISR);
        Throwable refused = sendOnceExpectingFailure();
        assertInstanceOf(NotEnoughReplicasException.class, refused,
                "acks=all with an ISR of 1 below min.insync.replicas=2: " + refused);

        cluster.start(followers);
        cluster.awaitIsr(admin, TOPIC, 0, 3, ISR_TIMEOUT);
        writeAcksAll(2, written);                                 // ISR of 3 again
        MetricsScrape.awaitValue(metrics, 0, ISR_TIMEOUT, UNDER_REPLICATED);
        MetricsScrape.awaitValue(metrics, 0, ISR_TIMEOUT, UNDER_MIN_ISR);
        MetricsScrape.awaitAtLeast(metrics, 1, ISR_TIMEOUT, "kafka_server_replicamanager_isrexpands_total");

        // The returned followers caught up: with the leader stopped one of them leads, holding it all.
        cluster.stop(leader);
        int newLeader = cluster.awaitLeaderOtherThan(admin, TOPIC, 0, leader, ISR_TIMEOUT);
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        cluster.awaitEndOffset(cluster.bootstrap(newLeader), partition, written.size(), ISR_TIMEOUT);
        List<String> read = Clients.readAll(cluster.bootstrap(newLeader), partition, 0).stream()
                .map(ConsumerRecord::value).toList();
        assertEquals(written, read, "the log on node " + newLeader + ": every acknowledged record, once, in order,"
                + " and nothing of the refused write");
    }

    /** Writes BATCH records with acks=all (idempotent, retrying) and waits for every ack. */
    private void writeAcksAll(int round, List<String> written) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String value = "round-" + round + "-" + i;
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value)));
                written.add(value);
            }
            for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
                ack.get(40, TimeUnit.SECONDS);
            }
        }
    }

    /** One acks=all send without retries; returns the error its callback received. */
    private Throwable sendOnceExpectingFailure() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.LINGER_MS_CONFIG, 0))) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "refused"),
                    (metadata, error) -> outcome.complete(error));
            Throwable error = outcome.get(30, TimeUnit.SECONDS);
            assertNotNull(error, "the send was acknowledged although the ISR is below min.insync.replicas");
            return error;
        }
    }
}

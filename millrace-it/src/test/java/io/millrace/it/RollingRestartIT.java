package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart (SIGTERM, i.e. controlled shutdown, then start) of all three nodes, one after
 * the other, while a producer writes acks=all to six partitions (min.insync.replicas=2). Each node
 * is restarted only once every partition has its full ISR back. Prints the longest time without an
 * acknowledgement; asserts that acknowledgements continue after the last restart and that every
 * acknowledged record can be read back (no timed assertion).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RollingRestartIT extends ClusterTest {
    private static final String TOPIC = "rolling";
    private static final int PARTITIONS = 6;

    @Test
    void aRollingRestartLosesNothingAndKeepsAcknowledging() {
        startCluster(3);
        cluster.createTopic(cluster.admin(), TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        try (AckTimeline producer = new AckTimeline(cluster.bootstrapServers(), TOPIC, 5)) {
            Await.until("acknowledgements flow", Duration.ofSeconds(30), () -> producer.ackedCount() > 200);
            long began = System.currentTimeMillis();
            for (int node : cluster.nodeIds()) {
                long stopAt = System.currentTimeMillis();
                cluster.stop(node);
                long stoppedMs = System.currentTimeMillis() - stopAt;
                cluster.start(node);
                for (int p = 0; p < PARTITIONS; p++) {
                    cluster.awaitIsr(cluster.admin(), TOPIC, p, 3, Duration.ofSeconds(60));
                }
                System.out.printf("ROLLING node %d: controlled shutdown took %d ms; longest gap so far %d ms%n",
                        node, stoppedMs, producer.longestGapSince(began));
            }
            long lastRestart = System.currentTimeMillis();
            Await.until("acknowledgements continue after the last restart", Duration.ofSeconds(30),
                    () -> producer.firstAckAfter(lastRestart + 500) >= 0);
            producer.stop();
            System.out.printf("ROLLING restart of 3 nodes: longest gap without an acknowledgement %d ms, %d acked, "
                    + "%d failed sends (first: %s)%n", producer.longestGapSince(began), producer.ackedCount(),
                    producer.failures(), producer.firstFailure());

            Set<String> read = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (ConsumerRecord<String, String> r : Clients.readAll(cluster.bootstrapServers(),
                        new TopicPartition(TOPIC, p), 0)) {
                    read.add(r.value());
                }
            }
            Set<String> lost = new HashSet<>(producer.ackedValues());
            lost.removeAll(read);
            assertEquals(Set.of(), lost, "acknowledged records missing after the rolling restart");
            assertTrue(producer.ackedCount() > 200);
        }
    }
}

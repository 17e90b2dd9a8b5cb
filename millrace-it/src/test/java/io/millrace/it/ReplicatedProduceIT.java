package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5, first test: three nodes, a topic with replication factor 3 and
 * min.insync.replicas=2, an idempotent acks=all producer sending a numbered stream while the
 * partition leader is killed (SIGKILL) and restarted three times. Every acknowledged record is
 * then read exactly once, at the offset it was acknowledged at, in send order. Prints the
 * failover time: leader killed until the producer's first acknowledgement after it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplicatedProduceIT extends ClusterTest {
    private static final String TOPIC = "replicated";
    private static final int KILLS = 3;
    private static final int ACKS_PER_CYCLE = 2_000;
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void everyAcknowledgedRecordSurvivesLeaderKills() {
        startCluster(3);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));

        List<Long> failoverMillis = new ArrayList<>();
        Map<Integer, NumberedStream.Ack> acked;
        try (NumberedStream stream = new NumberedStream(cluster.bootstrapServers(), TOPIC, 1).withRate(5_000).start()) {
            for (int kill = 1; kill <= KILLS; kill++) {
                awaitProgress(stream, ACKS_PER_CYCLE);
                int leader = cluster.leaderOf(admin, TOPIC, 0);
                assertTrue(leader > 0, "the partition has a leader before kill " + kill);
                cluster.kill9(leader);
                long killedAt = System.nanoTime();
                int ackedAtKill = stream.ackedCount();
                Await.until("an acknowledgement after leader " + leader + " was killed", FAILOVER_TIMEOUT,
                        () -> stream.ackedCount() > ackedAtKill);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                failoverMillis.add(millis);
                System.out.println("ReplicatedProduceIT: kill " + kill + " of leader " + leader
                        + ": first acknowledgement " + millis + " ms after the kill");
                cluster.awaitLeaderOtherThan(admin, TOPIC, 0, leader, FAILOVER_TIMEOUT);
                cluster.start(leader);
                cluster.awaitIsr(admin, TOPIC, 0, 3, FAILOVER_TIMEOUT);
            }
            awaitProgress(stream, ACKS_PER_CYCLE);
            stream.stopAndDrain(Duration.ofSeconds(60));
            acked = stream.acked();
            if (stream.failedCount() > 0) {
                System.out.println("ReplicatedProduceIT: " + stream.failedCount() + " of " + stream.sentCount()
                        + " sends failed, first: " + stream.firstFailure());
            }
        }
        System.out.println("ReplicatedProduceIT: failover times (leader kill -9 -> first ack) " + failoverMillis
                + " ms, with broker.session.timeout.ms=2000");
        assertTrue(acked.size() >= (KILLS + 1) * ACKS_PER_CYCLE, "acknowledged " + acked.size());

        List<ConsumerRecord<String, String>> read = Clients.readAll(cluster.bootstrapServers(),
                new TopicPartition(TOPIC, 0), 0);
        Map<Integer, Long> offsetOf = new java.util.HashMap<>();
        int previous = -1;
        for (int i = 0; i < read.size(); i++) {
            ConsumerRecord<String, String> record = read.get(i);
            assertEquals(i, record.offset(), "the log reads from offset 0 without a gap");
            int number = Integer.parseInt(record.value());
            assertTrue(number > previous, "number " + number + " at offset " + record.offset() + " follows "
                    + previous + ": in send order, no duplicate");
            previous = number;
            offsetOf.put(number, record.offset());
        }
        List<Integer> missing = new ArrayList<>();
        acked.forEach((number, ack) -> {
            Long offset = offsetOf.get(number);
            if (offset == null || offset != ack.offset()) {
                missing.add(number);
            }
        });
        missing.sort(null);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged numbers are missing or moved, first "
                + missing.subList(0, Math.min(10, missing.size())));
    }

    private static void awaitProgress(NumberedStream stream, int more) {
        int target = stream.ackedCount() + more;
        Await.until(target + " acknowledged records (" + stream.failedCount() + " failed)", PROGRESS_TIMEOUT,
                () -> stream.ackedCount() >= target);
    }
}

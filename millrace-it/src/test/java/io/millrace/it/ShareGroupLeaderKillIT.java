package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Share groups (KIP-932) in a 3-node cluster: the leader of a share consumer's partition is killed
 * (SIGKILL) after the consumer accepted half of the records; the new leader reads the share state
 * from the share coordinator (over ReadShareGroupState when that is another broker), so a new
 * consumer gets exactly the records not accepted, in offset order, and nothing accepted again. The
 * only test of share state crossing brokers, hence a cluster; on the way, a second group rejects a
 * record and the partition's leader writes it to that group's dead-letter topic (KIP-1191), whose
 * one replica is on another broker (a Produce over the inter-broker listener).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareGroupLeaderKillIT extends ClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "failover";

    @Test
    void acceptedRecordsSurviveTheLeadersDeathAndTheOthersComeAgain() throws Exception {
        cluster = ClusterHarness.start(getClass().getSimpleName(), 3, tempDir,
                Map.of("share.coordinator.state.topic.num.partitions", "1"));
        cluster.processes().forEach(brokerLog::watch);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
        Clients.setGroupConfigs(admin, TOPIC, Map.of("share.auto.offset.reset", "earliest"));
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "f" + i));
            }
            producer.flush();
        }
        try (KafkaShareConsumer<String, String> consumer = shareConsumer()) {
            consumer.subscribe(List.of(TOPIC));
            for (ConsumerRecord<String, String> record : Clients.pollShare(consumer, 20)) {
                consumer.acknowledge(record, record.offset() < 10 ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
            }
            consumer.commitSync();
        }

        int leader = cluster.leaderOf(admin, TOPIC, 0);
        long deadLetterFrom = System.nanoTime();
        rejectedRecordGoesToADeadLetterTopicOnAnotherBroker(admin, leader);
        System.out.println("ShareGroupLeaderKillIT: a rejected record was in the dead-letter topic on another broker "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadLetterFrom) + " ms after its topic was made");
        long killedAt = System.nanoTime();
        cluster.kill9(leader);
        int newLeader = cluster.awaitLeaderOtherThan(admin, TOPIC, 0, leader, WAIT);
        long electedAt = System.nanoTime();

        try (KafkaShareConsumer<String, String> consumer = shareConsumer()) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> again = Clients.pollShare(consumer, 10);
            List<String> expected = new ArrayList<>();
            for (int i = 10; i < 20; i++) {
                expected.add("f" + i);
            }
            assertEquals(expected, again.stream().map(ConsumerRecord::value).toList(),
                    "exactly what was not accepted, nothing accepted again");
            again.forEach(r -> consumer.acknowledge(r, AcknowledgeType.ACCEPT));
            consumer.commitSync();
        }
        System.out.println("ShareGroupLeaderKillIT: leader " + leader + " killed; " + newLeader + " led after "
                + TimeUnit.NANOSECONDS.toMillis(electedAt - killedAt) + " ms; the records not accepted came again "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - electedAt) + " ms later");
    }

    private void rejectedRecordGoesToADeadLetterTopicOnAnotherBroker(Admin admin, int leader) {
        int elsewhere = cluster.nodeIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
        String dlq = "dlq." + TOPIC;
        cluster.createTopic(admin, new NewTopic(dlq, Map.of(0, List.of(elsewhere)))
                .configs(Map.of("errors.deadletterqueue.group.enable", "true")));
        Clients.setGroupConfigs(admin, "rejecting", Map.of("share.auto.offset.reset", "earliest",
                "errors.deadletterqueue.topic.name", dlq));
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("rejecting")) {
            consumer.subscribe(List.of(TOPIC));
            for (ConsumerRecord<String, String> record : Clients.pollShare(consumer, 1)) {
                consumer.acknowledge(record, record.offset() == 0 ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE);
            }
            consumer.commitSync();
        }
        TopicPartition dead = new TopicPartition(dlq, 0);
        cluster.awaitEndOffset(cluster.bootstrapServers(), dead, 1, WAIT);
        List<ConsumerRecord<String, String>> written = Clients.readAll(cluster.bootstrapServers(), dead, 0);
        assertEquals(1, written.size(), written.toString());
        assertEquals("0", new String(written.get(0).headers().lastHeader("__dlq.errors.offset").value(),
                StandardCharsets.UTF_8));
    }

    private KafkaShareConsumer<String, String> shareConsumer() {
        return shareConsumer(TOPIC);
    }

    private KafkaShareConsumer<String, String> shareConsumer(String groupId) {
        return Clients.shareConsumer(cluster.bootstrapServers(), groupId, Map.of("share.acknowledgement.mode", "explicit"));
    }

}

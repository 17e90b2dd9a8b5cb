package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5: every node stopped (SIGTERM, one after the other) and all started again:
 * topics with their configs and replica sets, every record, and a group's committed offsets are
 * intact, and the group resumes where it committed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FullRestartIT extends ClusterTest {
    private static final String TOPIC = "durable";
    private static final String GROUP = "restarting";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 1_000;
    private static final Map<TopicPartition, Long> COMMITTED = Map.of(
            new TopicPartition(TOPIC, 0), 300L, new TopicPartition(TOPIC, 1), 200L);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aFullRestartKeepsTopicsDataAndOffsets() throws Exception {
        startCluster(3);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2", "retention.ms", "86400000"));
        List<List<Integer>> replicasBefore = List.of(cluster.replicasOf(admin, TOPIC, 0),
                cluster.replicasOf(admin, TOPIC, 1));
        produce();
        try (KafkaConsumer<String, String> consumer = groupConsumer()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            COMMITTED.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(offsets, Duration.ofSeconds(20));
        }

        cluster.stopAll();
        assertEquals(List.of(), cluster.runningNodes());
        cluster.start(cluster.nodeIds());

        assertTrue(Clients.get(admin.listTopics().names()).contains(TOPIC), "the topic survives");
        assertEquals(replicasBefore, List.of(cluster.replicasOf(admin, TOPIC, 0), cluster.replicasOf(admin, TOPIC, 1)),
                "the replica sets survive");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        Config config = Clients.get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertEquals("2", config.get("min.insync.replicas").value());
        assertEquals("86400000", config.get("retention.ms").value());
        for (int p = 0; p < PARTITIONS; p++) {
            cluster.awaitIsr(admin, TOPIC, p, 3, TIMEOUT);
            TopicPartition tp = new TopicPartition(TOPIC, p);
            cluster.awaitEndOffset(cluster.bootstrapServers(), tp, RECORDS / PARTITIONS, TIMEOUT);
            List<ConsumerRecord<String, String>> read = Clients.readAll(cluster.bootstrapServers(), tp, 0);
            assertEquals(RECORDS / PARTITIONS, read.size(), "records in partition " + p);
            for (int i = 0; i < read.size(); i++) {
                assertEquals(Integer.toString(i * PARTITIONS + p), read.get(i).value(), "offset " + i + " of " + tp);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = Await.value("the group's committed offsets", TIMEOUT,
                () -> Clients.get(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()));
        Map<TopicPartition, Long> committedOffsets = new java.util.HashMap<>();
        committed.forEach((tp, offset) -> committedOffsets.put(tp, offset.offset()));
        assertEquals(COMMITTED, committedOffsets, "committed offsets survive");

        try (KafkaConsumer<String, String> consumer = groupConsumer()) {
            consumer.assign(COMMITTED.keySet());
            for (TopicPartition tp : COMMITTED.keySet()) {
                assertEquals(COMMITTED.get(tp), consumer.position(tp, Duration.ofSeconds(20)),
                        "the group resumes " + tp + " at its committed offset");
            }
        }
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            for (int p = 0; p < PARTITIONS; p++) {
                long offset = producer.send(new ProducerRecord<>(TOPIC, p, null, "after")).get(30, TimeUnit.SECONDS)
                        .offset();
                assertEquals(RECORDS / PARTITIONS, offset, "a new write to partition " + p + " takes the next offset");
            }
        }
        assertEquals(Set.copyOf(cluster.nodeIds()), Set.copyOf(cluster.runningNodes()));
    }

    private KafkaConsumer<String, String> groupConsumer() {
        return Clients.consumer(cluster.bootstrapServers(), Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP));
    }

    private void produce() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int n = 0; n < RECORDS; n++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, n % PARTITIONS, null, Integer.toString(n))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }
}

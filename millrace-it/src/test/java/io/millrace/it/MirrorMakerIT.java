package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 section 2, MirrorMaker 2 between two Millrace nodes: a Connect worker on the target
 * runs MirrorSourceConnector and MirrorCheckpointConnector (source alias {@code src}). The topic
 * {@code orders} arrives as {@code src.orders} with every record in its partition and order, and
 * the group {@code orders-readers}' committed offsets arrive through the offset syncs and
 * checkpoints, exactly (the group has read both partitions to the end), both as checkpoints
 * ({@code RemoteClusterUtils}) and as the group's own committed offsets on the target
 * ({@code sync.group.offsets.enabled}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MirrorMakerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String GROUP = "orders-readers";
    private static final int RECORDS = 1_000;

    @TempDir
    Path sourceDir;
    @TempDir
    Path targetDir;
    @TempDir
    Path dir;
    InProcessBroker source;
    InProcessBroker target;
    Admin targetAdmin;
    ConnectWorker worker;

    @BeforeEach
    void startBrokers() {
        // groups (the worker's, the readers') form without the initial rebalance delay (3 s)
        source = InProcessBroker.start(sourceDir, Map.of("offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0"));
        target = InProcessBroker.start(targetDir, Map.of("offsets.topic.num.partitions", "3",
                "group.initial.rebalance.delay.ms", "0"));
        targetAdmin = Clients.admin(target.bootstrap());
    }

    @AfterEach
    void stop() {
        Clients.closeAll(worker, targetAdmin, source, target);
    }

    @Test
    void topicAndGroupOffsetsReplicated() throws Exception {
        try (Admin sourceAdmin = Clients.admin(source.bootstrap())) {
            Clients.get(sourceAdmin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all());
        }
        try (KafkaProducer<String, String> producer = Clients.producer(source.bootstrap())) {
            for (int n = 0; n < RECORDS; n++) {
                producer.send(new ProducerRecord<>("orders", n % 2, "k" + n, "order-" + n));
            }
        }
        TopicPartition p0 = new TopicPartition("orders", 0);
        TopicPartition p1 = new TopicPartition("orders", 1);
        try (KafkaConsumer<String, String> reader = Clients.consumer(source.bootstrap(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
            // both partitions read to the end. (A group stopped mid-partition is translated only when
            // the checkpoint task saw an offset sync at or below it arrive: MM2's OffsetSyncStore keeps
            // just the latest sync per partition of what it reads at start-up, so whether partition 1
            // got a checkpoint depended on which connector's task started first; that is MM2's own
            // logic, not the broker's.)
            reader.commitSync(Map.of(p0, new OffsetAndMetadata(RECORDS / 2), p1, new OffsetAndMetadata(RECORDS / 2)));
        }

        worker = ConnectWorker.start("mm2", ConnectWorker.settings(target.bootstrap(), "mm2-connect"), dir);
        worker.putConnector("mm2-source", mirror("org.apache.kafka.connect.mirror.MirrorSourceConnector"));
        worker.putConnector("mm2-checkpoints", mirror("org.apache.kafka.connect.mirror.MirrorCheckpointConnector"));

        for (int p = 0; p < 2; p++) {
            TopicPartition replica = new TopicPartition("src.orders", p);
            Await.until("src.orders-" + p + " replicated", TIMEOUT, () -> endOffset(replica) >= RECORDS / 2);
            List<String> values = Clients.readAll(target.bootstrap(), replica, 0).stream()
                    .map(ConsumerRecord::value).toList();
            List<String> expected = new java.util.ArrayList<>();
            for (int n = p; n < RECORDS; n += 2) {
                expected.add("order-" + n);
            }
            assertEquals(expected, values, "src.orders-" + p + ": every record, in order");
        }

        TopicPartition r0 = new TopicPartition("src.orders", 0);
        TopicPartition r1 = new TopicPartition("src.orders", 1);
        Map<String, Object> client = Map.of("bootstrap.servers", target.bootstrap());
        Map<TopicPartition, OffsetAndMetadata> checkpoints = Await.value("checkpoints for both partitions", TIMEOUT,
                () -> {
                    Map<TopicPartition, OffsetAndMetadata> translated = translate(client);
                    if (translated.containsKey(r0) && translated.containsKey(r1)
                            && translated.get(r0).offset() == RECORDS / 2 && translated.get(r1).offset() == RECORDS / 2) {
                        return translated;
                    }
                    throw new AssertionError("checkpoints so far: " + translated); // the cause if time runs out
                });
        long mid = checkpoints.get(r1).offset();

        Map<TopicPartition, OffsetAndMetadata> synced = Await.value("the group's offsets on the target", TIMEOUT,
                () -> {
                    Map<TopicPartition, OffsetAndMetadata> offsets = Clients.get(
                            targetAdmin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
                    // both at the final checkpoint: MM2 syncs each checkpoint as it comes, so partition 1 may
                    // pass through an earlier one (236 of 500 seen in CI) before reaching the last
                    if (offsets.containsKey(r0) && offsets.containsKey(r1) && offsets.get(r0).offset() == RECORDS / 2
                            && offsets.get(r1).offset() == mid) {
                        return offsets;
                    }
                    throw new AssertionError("the target group's offsets so far: " + offsets);
                });
        assertEquals(mid, synced.get(r1).offset(), "the target group's offset is partition 1's checkpoint");
        System.out.printf("MirrorMakerIT: group offsets 500/500 upstream -> %d/%d on the target%n",
                synced.get(r0).offset(), synced.get(r1).offset());
    }

    private Map<String, String> mirror(String connectorClass) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", connectorClass);
        config.put("tasks.max", "1");
        config.put("source.cluster.alias", "src");
        config.put("target.cluster.alias", "dst");
        config.put("source.cluster.bootstrap.servers", source.bootstrap());
        config.put("target.cluster.bootstrap.servers", target.bootstrap());
        config.put("topics", "orders");
        config.put("groups", GROUP);
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("replication.factor", "1");
        config.put("offset-syncs.topic.replication.factor", "1");
        config.put("checkpoints.topic.replication.factor", "1");
        config.put("sync.topic.acls.enabled", "false");
        config.put("refresh.topics.interval.seconds", "1");
        config.put("refresh.groups.interval.seconds", "1");
        config.put("emit.checkpoints.interval.seconds", "1");
        config.put("sync.group.offsets.enabled", "true");
        config.put("sync.group.offsets.interval.seconds", "1");
        config.put("offset.lag.max", "0");
        return config;
    }

    private static Map<TopicPartition, OffsetAndMetadata> translate(Map<String, Object> client) {
        try {
            return RemoteClusterUtils.translateOffsets(client, "src", GROUP, Duration.ofSeconds(10));
        } catch (Exception e) {
            throw new AssertionError("translateOffsets failed", e);
        }
    }

    private long endOffset(TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(target.bootstrap())) {
            return consumer.endOffsets(List.of(partition), Clients.CALL_TIMEOUT).getOrDefault(partition, 0L);
        }
    }
}

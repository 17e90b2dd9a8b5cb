package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9 on a three-node cluster, in one cluster start:
 * <ol>
 *   <li>a transactional producer whose coordinator is on one node writes to partitions led by the
 *       two others, so every partition joins its transaction over the brokers' own
 *       AddPartitionsToTxn (transaction version 2: the leader has the remote coordinator add it);
 *       a committed, an aborted and another committed transaction are read back with
 *       read_committed (exactly the committed records) and read_uncommitted (all of them);</li>
 *   <li>the Kafka Streams application of {@link StreamsExactlyOnceIT} ({@code exactly_once_v2},
 *       a repartition topic and a changelogged store, all of replication factor 3) counts exactly.</li>
 * </ol>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsAcrossBrokersIT extends ClusterTest {
    private static final String TOPIC = "xb-out";
    private static final String TRANSACTIONAL_ID = "xb-producer";
    private static final int PER_PARTITION = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    KafkaStreams streams;

    @AfterEach
    void stopStreams() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void transactionsSpanBrokersAndStreamsCountsExactly() throws Exception {
        startCluster(3);
        Admin admin = cluster.admin();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID))) {
            producer.initTransactions();
            int coordinator = Clients.get(admin.describeTransactions(List.of(TRANSACTIONAL_ID))
                    .description(TRANSACTIONAL_ID)).coordinatorId();
            List<Integer> others = new ArrayList<>(cluster.nodeIds());
            others.remove(Integer.valueOf(coordinator));
            cluster.createTopic(admin, new NewTopic(TOPIC, Map.of(
                    0, List.of(others.get(0), others.get(1), coordinator),
                    1, List.of(others.get(1), others.get(0), coordinator))));
            for (int p = 0; p < 2; p++) {
                assertNotEquals(coordinator, cluster.leaderOf(admin, TOPIC, p), "partition " + p + " is led elsewhere");
            }

            transaction(producer, "first", true);
            transaction(producer, "aborted", false);
            transaction(producer, "second", true);
        }
        List<String> committed = read("read_committed");
        List<String> expected = new ArrayList<>();
        for (String label : List.of("first", "second")) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    expected.add(label + "-" + p + "-" + i);
                }
            }
        }
        assertEquals(expected.stream().sorted().toList(), committed.stream().sorted().toList(),
                "read_committed: exactly the committed transactions");
        assertEquals(6 * PER_PARTITION, read("read_uncommitted").size(), "read_uncommitted: the aborted one too");

        cluster.createTopic(admin, ColourCountApp.INPUT, 3, 3, Map.of("min.insync.replicas", "2"));
        cluster.createTopic(admin, ColourCountApp.OUTPUT, 3, 3, Map.of("min.insync.replicas", "2"));
        Path stateDir = tempDir.resolve("streams-state");
        streams = ColourCountApp.create(cluster.bootstrapServers(), "eos-cluster", stateDir);
        streams.start();
        ColourCounts.produce(cluster.bootstrapServers(), 0, 1_500);
        ColourCounts.produce(cluster.bootstrapServers(), 1_500, 3_000);
        ColourCounts.awaitExact(cluster.bootstrapServers(), 3_000, TIMEOUT);
    }

    /** {@value #PER_PARTITION} records "label-p-i" to each partition p, then commit or abort. */
    private static void transaction(KafkaProducer<String, String> producer, String label, boolean commit)
            throws Exception {
        producer.beginTransaction();
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < PER_PARTITION; i++) {
                producer.send(new ProducerRecord<>(TOPIC, p, "k" + i, label + "-" + p + "-" + i));
            }
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    /** Both partitions from the start to their end as {@code isolation} sees it. */
    private List<String> read(String isolation) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                for (ConsumerRecord<String, String> r : Clients.pollUntil(consumer, tp, end)) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}

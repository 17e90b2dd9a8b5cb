package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeProducers through Apache Kafka's Admin client ({@code describeProducers}, what
 * {@code kafka-transactions.sh describe-producers} runs): after an idempotent producer wrote, the
 * partition's leader reports it with its epoch and last sequence and no open transaction; once
 * idle longer than {@code producer.id.expiration.ms} it is forgotten.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescribeProducersIT {
    private static final String TOPIC = "described";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;
    InProcessBroker broker;

    @AfterEach
    void stop() {
        Clients.closeAll(broker);
    }

    @Test
    void anIdempotentProducerIsDescribedByThePartitionLeader() throws Exception {
        broker = InProcessBroker.start(dataDir);
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
            produceFive();
            DescribeProducersResult result = admin.describeProducers(List.of(TP));
            List<ProducerState> producers = result.partitionResult(TP).get(30, TimeUnit.SECONDS).activeProducers();
            assertEquals(1, producers.size());
            ProducerState state = producers.get(0);
            assertTrue(state.producerId() >= 0, "a producer id");
            assertEquals(0, state.producerEpoch());
            assertEquals(4, state.lastSequence(), "five records, sequences 0 to 4");
            assertTrue(state.lastTimestamp() > 0);
            assertTrue(state.currentTransactionStartOffset().isEmpty(), "no transaction");
            assertTrue(state.coordinatorEpoch().isEmpty(), "no marker");
        }
    }

    @Test
    void anIdleProducerExpiresAfterProducerIdExpirationMs() throws Exception {
        broker = InProcessBroker.start(dataDir, Map.of("producer.id.expiration.ms", "1000",
                "producer.id.expiration.check.interval.ms", "100"));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
            produceFive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeProducers(List.of(TP)).partitionResult(TP).get(30, TimeUnit.SECONDS)
                    .activeProducers().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the idle producer's state expired");
                Thread.sleep(100);
            }
        }
    }

    private void produceFive() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(),
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }
}

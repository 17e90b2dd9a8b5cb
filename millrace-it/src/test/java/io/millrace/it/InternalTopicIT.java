package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Clients cannot write into the coordinator's internal topic, as in Kafka. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InternalTopicIT {
    @TempDir
    Path dataDir;

    @Test
    void producingToConsumerOffsetsIsRefused() throws Exception {
        try (InProcessBroker broker = InProcessBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "3"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            // Finding the coordinator creates __consumer_offsets.
            admin.listConsumerGroupOffsets("any-group").partitionsToOffsetAndMetadata().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", broker.bootstrap(), "delivery.timeout.ms", "10000",
                    "request.timeout.ms", "5000", "linger.ms", "0"),
                    new StringSerializer(), new StringSerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(
                        new ProducerRecord<>("__consumer_offsets", 0, "k", "v")).get());
                assertInstanceOf(InvalidTopicException.class, e.getCause());
            }
        }
    }
}

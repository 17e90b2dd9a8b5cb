package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time and size retention delete whole old segments and move the log start offset; consumers
 * positioned before it get OFFSET_OUT_OF_RANGE and reset by auto.offset.reset.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetentionIT {
    private static final String ONE_MIB = "1048576";
    private static final int RECORD_BYTES = 10_000;
    private static final Duration RETENTION_WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("log.retention.check.interval.ms", "200"));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    /**
     * Segments whose newest record is older than retention.ms go (by record timestamps, as in
     * Kafka), the active one too once all of it has expired (the log rolls first); records
     * written afterwards are kept.
     */
    @Test
    void timeRetentionDeletesSegmentsOfOldRecords() throws Exception {
        String topic = "time-retention";
        TopicPartition tp = new TopicPartition(topic, 0);
        Clients.createTopic(admin, topic, 1, Map.of("segment.bytes", ONE_MIB, "retention.ms", "30000"));
        long anHourAgo = System.currentTimeMillis() - 3_600_000L;
        int old = 400; // about 4 MiB: four segments
        int fresh = 20;
        produce(topic, 0, old, anHourAgo);

        Await.until("time retention deletes every segment of hour-old records", RETENTION_WAIT,
                () -> earliest(tp) == old);
        produce(topic, old, fresh, null);
        assertEquals(old, earliest(tp), "fresh records are kept");
        assertEquals(old + fresh, latest(tp));

        assertConsumersHandleTheMovedStart(tp, old, old + fresh);
    }

    @Test
    void sizeRetentionKeepsTheLogNearRetentionBytes() throws Exception {
        String topic = "size-retention";
        TopicPartition tp = new TopicPartition(topic, 0);
        Clients.createTopic(admin, topic, 1, Map.of("segment.bytes", ONE_MIB, "retention.bytes", ONE_MIB));
        int count = 500; // about 5 MiB: five segments
        produce(topic, 0, count, null);

        // About 104 records fill a segment: segments start at 0, 104, 208, 312 and 416 (active).
        // Kafka's rule keeps the newest segments that together reach retention.bytes: 312 onwards.
        Await.until("size retention deletes down to retention.bytes", RETENTION_WAIT, () -> earliest(tp) >= 250);
        long logStart = earliest(tp);
        assertTrue(logStart < count, "the active segment is never deleted; log start " + logStart);
        assertEquals(count, latest(tp));

        assertConsumersHandleTheMovedStart(tp, logStart, count);
    }

    private static void assertConsumersHandleTheMovedStart(TopicPartition tp, long logStart, long end) {
        try (KafkaConsumer<String, String> strict = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            strict.assign(List.of(tp));
            strict.seek(tp, 0);
            OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    strict.poll(Duration.ofMillis(200));
                }
            });
            assertEquals(0L, error.offsetOutOfRangePartitions().get(tp));
        }

        try (KafkaConsumer<String, String> resetting = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            resetting.assign(List.of(tp));
            resetting.seek(tp, 0);
            List<ConsumerRecord<String, String>> read = Clients.pollUntil(resetting, tp, end);
            assertEquals(end - logStart, read.size(), "reset to the log start and read the rest");
            for (int i = 0; i < read.size(); i++) {
                assertEquals(logStart + i, read.get(i).offset());
                assertTrue(read.get(i).value().startsWith((logStart + i) + ":"), "value of offset " + (logStart + i));
            }
        }
    }

    private static void produce(String topic, int first, int count, Long timestamp) throws Exception {
        String padding = "x".repeat(RECORD_BYTES);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = first; i < first + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, timestamp, null, i + ":" + padding)));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(first + i, sent.get(i).get(30, TimeUnit.SECONDS).offset());
            }
        }
    }

    private static long earliest(TopicPartition tp) {
        return Clients.get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset();
    }

    private static long latest(TopicPartition tp) {
        return Clients.get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)).offset();
    }
}

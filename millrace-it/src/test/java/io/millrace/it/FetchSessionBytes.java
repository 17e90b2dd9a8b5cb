package io.millrace.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test of the default suite (the name matches no include pattern): a measurement of what
 * fetch sessions save. A Java consumer (default settings) assigned every partition of a
 * 1,000-partition topic on one in-process broker, with sessions
 * ({@code max.incremental.fetch.session.cache.slots=1000}) and without (0), idle and under
 * light traffic (100 records/s of 100 bytes spread over the partitions); prints request and
 * response bytes per second from the consumer's network metrics. Run it with
 * {@code mvn -o -q -B -pl millrace-it -am verify -Dtest=FetchSessionBytes -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dfetch.sessions.seconds=N} sets each phase's length, default 15).
 */
class FetchSessionBytes {
    private static final int PARTITIONS = 1000;
    private static final int RECORDS_PER_SECOND = 100;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        long seconds = Long.getLong("fetch.sessions.seconds", 15);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Consumer of %d partitions, %d s per phase (machine loaded: rough)%n"
                        + "%-12s %-8s %10s %14s %14s %12s %12s%n", PARTITIONS, seconds,
                "sessions", "traffic", "fetches/s", "req bytes/s", "resp bytes/s", "req bytes", "resp bytes"));
        for (int slots : new int[] {1000, 0}) {
            Path data = Files.createDirectory(dir.resolve("slots-" + slots));
            try (InProcessBroker broker = InProcessBroker.start(data,
                    Map.of("max.incremental.fetch.session.cache.slots", String.valueOf(slots)))) {
                // A thousand logs take a while on a loaded machine: one long request, no retry.
                try (Admin admin = Clients.admin(broker.bootstrap(), Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        300_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 300_000))) {
                    admin.createTopics(List.of(new NewTopic("wide", PARTITIONS, (short) 1))).all()
                            .get(5, TimeUnit.MINUTES);
                }
                List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                        .mapToObj(p -> new TopicPartition("wide", p)).toList();
                try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                        Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 300_000));
                     KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
                    consumer.assign(partitions);
                    pollFor(consumer, Duration.ofSeconds(3), null); // positions found, first full fetch done
                    String label = slots > 0 ? "on (" + slots + ")" : "off (0)";
                    row(table, label, "idle", pollFor(consumer, Duration.ofSeconds(seconds), null), seconds);
                    row(table, label, "100 rec/s", pollFor(consumer, Duration.ofSeconds(seconds), producer), seconds);
                }
            }
        }
        System.out.print(table);
    }

    /** Polls for {@code length}, sending light traffic with {@code producer} when given; returns what went over the wire. */
    private static ConsumerWireBytes pollFor(KafkaConsumer<String, String> consumer, Duration length,
                                             KafkaProducer<String, String> producer) {
        ConsumerWireBytes start = ConsumerWireBytes.of(consumer, InProcessBroker.NODE_ID);
        long begin = System.nanoTime();
        long sent = 0;
        String value = "x".repeat(100);
        while (System.nanoTime() - begin < length.toNanos()) {
            if (producer != null) {
                long due = (System.nanoTime() - begin) * RECORDS_PER_SECOND / 1_000_000_000L;
                for (; sent < due; sent++) {
                    producer.send(new ProducerRecord<>("wide", (int) (sent * 7919 % PARTITIONS), null, value));
                }
            }
            consumer.poll(Duration.ofMillis(10));
        }
        return ConsumerWireBytes.of(consumer, InProcessBroker.NODE_ID).since(start);
    }

    private static void row(StringBuilder table, String sessions, String traffic, ConsumerWireBytes bytes, long seconds) {
        table.append(String.format(Locale.ROOT, "%-12s %-8s %10.1f %14.0f %14.0f %12.0f %12.0f%n", sessions, traffic,
                bytes.responses() / seconds, bytes.requestBytes() / seconds, bytes.responseBytes() / seconds,
                bytes.bytesPerRequest(), bytes.bytesPerResponse()));
    }
}

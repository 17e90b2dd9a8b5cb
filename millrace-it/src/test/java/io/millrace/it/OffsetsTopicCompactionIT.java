package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code __consumer_offsets} is compacted: under a long stream of commits it keeps only the
 * latest offset per group and partition, so it stays small, and the offsets survive a restart
 * (the coordinator replays the compacted log).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OffsetsTopicCompactionIT {
    private static final int PARTITIONS = 100;
    private static final int ROUNDS = 600;
    private static final String GROUP = "committer";

    @TempDir
    Path dataDir;

    @Test
    void offsetsTopicStaysSmallUnderManyCommits() throws Exception {
        Map<String, String> props = Map.of("offsets.topic.num.partitions", "1",
                "offsets.topic.segment.bytes", "1048576", "log.cleaner.backoff.ms", "100");
        try (InProcessBroker broker = InProcessBroker.start(dataDir, props)) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("source", PARTITIONS, (short) 1))).all().get();
                for (int round = 1; round <= ROUNDS; round++) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (int p = 0; p < PARTITIONS; p++) {
                        offsets.put(new TopicPartition("source", p), new OffsetAndMetadata(round, "round " + round));
                    }
                    admin.alterConsumerGroupOffsets(GROUP, offsets).all().get();
                }
                long written = (long) ROUNDS * PARTITIONS;
                Path offsetsLog = dataDir.resolve("__consumer_offsets-0");
                Await.until("__consumer_offsets-0 to be compacted below 1.6 MB after " + written + " commits",
                        Duration.ofSeconds(90), () -> logBytes(offsetsLog) < 1_600_000);
                assertLatest(admin);
            }
            broker.restart();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrap()))) {
                assertLatest(admin);
            }
        }
    }

    private static void assertLatest(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        assertEquals(PARTITIONS, committed.size());
        for (OffsetAndMetadata offset : committed.values()) {
            assertEquals(ROUNDS, offset.offset());
            assertEquals("round " + ROUNDS, offset.metadata());
        }
    }

    private static long logBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

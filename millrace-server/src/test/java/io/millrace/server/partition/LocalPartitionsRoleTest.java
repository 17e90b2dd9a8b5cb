package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.RemoveTopicRecord;
import io.millrace.metadata.records.TopicRecord;
import io.millrace.server.config.TopicConfigResolver;
import io.millrace.storage.LogConfig;
import io.millrace.storage.LogManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Role changes driven by metadata images: leader, follower, leaderless, removed. */
class LocalPartitionsRoleTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(1_000);
    private final List<String> calls = new ArrayList<>();
    private LogManager logManager;
    private LocalPartitions partitions;
    private MetadataImage image = MetadataImage.EMPTY;

    @BeforeEach
    void setUp() {
        logManager = new LogManager(List.of(dir), time, 300_000);
        TopicConfigResolver configs = new TopicConfigResolver() {
            @Override
            public LogConfig logConfig(TopicImage topic) {
                return LogConfig.defaults();
            }

            @Override
            public int minInsyncReplicas(TopicImage topic) {
                return 1;
            }
        };
        FollowerFetching fetching = new FollowerFetching() {
            @Override
            public void follow(Partition partition, int leaderId, int leaderEpoch) {
                calls.add("follow " + partition.topicPartition() + " " + leaderId + "@" + leaderEpoch);
            }

            @Override
            public void unfollow(TopicPartition tp) {
                calls.add("unfollow " + tp + (Files.exists(dir.resolve("t-0")) ? "" : " (log gone)"));
            }
        };
        partitions = new LocalPartitions(1, logManager, configs, fetching, time);
    }

    @AfterEach
    void tearDown() {
        logManager.close();
    }

    private void publish(Object... records) {
        List<io.millrace.metadata.records.MetadataRecord> list = new ArrayList<>();
        for (Object r : records) {
            list.add((io.millrace.metadata.records.MetadataRecord) r);
        }
        MetadataImage next = image.apply(list);
        partitions.onImage(image, next);
        image = next;
    }

    private static PartitionRecord state(List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
        return new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3), isr, leader, leaderEpoch, partitionEpoch);
    }

    @Test
    void movesBetweenRoles() {
        publish(new TopicRecord("t", TOPIC_ID), state(List.of(1, 2, 3), 1, 0, 0));
        Partition partition = partitions.get(TP).orElseThrow();
        assertTrue(partition.isLeader());
        assertEquals(List.of("unfollow t-0"), calls);

        calls.clear();
        publish(state(List.of(1, 2), 1, 0, 1)); // ISR change only: no role change
        assertEquals(List.of(), calls);

        publish(state(List.of(2, 3), 2, 1, 2));
        assertFalse(partition.isLeader());
        assertEquals(List.of("follow t-0 2@1"), calls);

        calls.clear();
        publish(state(List.of(2), PartitionRecord.NO_LEADER, 2, 3));
        assertEquals(List.of("unfollow t-0"), calls);

        calls.clear();
        publish(state(List.of(2), 3, 3, 4));
        assertEquals(List.of("follow t-0 3@3"), calls);

        calls.clear();
        publish(state(List.of(1), 1, 4, 5));
        assertEquals(List.of("unfollow t-0"), calls);
        assertTrue(partition.isLeader());
        assertEquals(partition.log().logEndOffset(), partition.log().highWatermark()); // lone ISR member

        calls.clear();
        publish(new RemoveTopicRecord(TOPIC_ID));
        assertEquals(List.of("unfollow t-0"), calls); // before the log was deleted
        assertTrue(partitions.get(TP).isEmpty());
    }

    @Test
    void newFollowerPartitionStartsFollowing() {
        publish(new TopicRecord("t", TOPIC_ID), state(List.of(1, 2, 3), 2, 7, 0));
        assertEquals(List.of("follow t-0 2@7"), calls);
        assertFalse(partitions.get(TP).orElseThrow().isLeader());
    }

    @Test
    void strayLogsKeptWhileCatchingUpAreDeletedOnceCaughtUp() {
        publish(new TopicRecord("t", TOPIC_ID), state(List.of(1, 2, 3), 2, 7, 0));
        logManager.close();
        // restart: the topic was deleted while the node was away, the image starts empty
        logManager = new LogManager(List.of(dir), time, 300_000);
        partitions = new LocalPartitions(1, logManager, new TopicConfigResolver() {
            @Override
            public LogConfig logConfig(TopicImage topic) {
                return LogConfig.defaults();
            }

            @Override
            public int minInsyncReplicas(TopicImage topic) {
                return 1;
            }
        });
        image = MetadataImage.EMPTY;
        partitions.loadExisting(image, false);
        assertTrue(logManager.get(TP).isPresent(), "kept while the image may still be catching up");

        Uuid other = Uuid.randomUuid();
        publish(new TopicRecord("u", other));
        assertEquals(0, partitions.deleteStrayLogs(image.recordCount() + 1), "waits for the caught-up image");
        assertTrue(logManager.get(TP).isPresent());
        publish(new PartitionRecord(other, 0, List.of(2), List.of(2), 2, 0, 0));
        assertTrue(logManager.get(TP).isEmpty(), "deleted once the image reached the caught-up record count");
        assertEquals(0, partitions.deleteStrayLogs(image.recordCount()));
    }
}

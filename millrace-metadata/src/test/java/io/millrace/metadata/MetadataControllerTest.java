package io.millrace.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.controller.PlacementSettings;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.journal.LocalMetadataJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataControllerTest {
    @TempDir
    Path dir;

    private MetadataController controller() {
        return new MetadataController(new LocalMetadataJournal(dir),
                new PlacementSettings(() -> List.of(1), 3, (short) 1),
                (k, v) -> k.equals("bad.key") ? "Unknown topic config bad.key" : null);
    }

    @Test
    void createdTopicsSurviveRestartAndDeletesReplay() throws Exception {
        try (MetadataController c = controller()) {
            List<CreateTopicResult> r = c.createTopics(List.of(
                    new TopicSpec("a", -1, (short) -1, Map.of(), Map.of("retention.ms", "1000")),
                    new TopicSpec("b", 2, (short) 1, Map.of(), Map.of())), false).get();
            assertTrue(r.get(0).error().isSuccess());
            assertEquals(3, r.get(0).numPartitions());
            assertEquals(2, r.get(1).numPartitions());
            assertEquals(List.of(ApiError.NONE), c.deleteTopics(List.of(r.get(1).topicId())).get());
            assertEquals(Errors.NONE, c.createPartitions("a", 5, List.of(), false).get().error());
        }
        try (MetadataController c = controller()) {
            assertEquals(5, c.image().topic("a").orElseThrow().partitionCount());
            assertEquals("1000", c.image().topic("a").orElseThrow().configs().get("retention.ms"));
            assertFalse(c.image().topic("b").isPresent());
        }
    }

    @Test
    void rejectsBadTopics() throws Exception {
        try (MetadataController c = controller()) {
            List<CreateTopicResult> r = c.createTopics(List.of(
                    new TopicSpec("bad name!", 1, (short) 1, Map.of(), Map.of()),
                    new TopicSpec("x", 0, (short) 1, Map.of(), Map.of()),
                    new TopicSpec("y", 1, (short) 2, Map.of(), Map.of()),
                    new TopicSpec("z", 1, (short) 1, Map.of(), Map.of("bad.key", "1")),
                    new TopicSpec("ok", 1, (short) 1, Map.of(), Map.of()),
                    new TopicSpec("ok", 1, (short) 1, Map.of(), Map.of())), false).get();
            assertEquals(List.of(Errors.INVALID_TOPIC_EXCEPTION, Errors.INVALID_PARTITIONS,
                    Errors.INVALID_REPLICATION_FACTOR, Errors.INVALID_CONFIG, Errors.NONE, Errors.TOPIC_ALREADY_EXISTS),
                    r.stream().map(x -> x.error().error()).toList());
            c.createTopics(List.of(new TopicSpec("o_k", 1, (short) 1, Map.of(), Map.of())), false).get();
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION, c.createTopics(List.of(
                    new TopicSpec("o.k", 1, (short) 1, Map.of(), Map.of())), false).get().get(0).error().error());
            assertTrue(c.createTopics(List.of(new TopicSpec("v", 1, (short) 1, Map.of(), Map.of())), true)
                    .get().get(0).error().isSuccess());
            assertFalse(c.image().topic("v").isPresent(), "validate_only creates nothing");
        }
    }

    @Test
    void tornJournalTailIsCutAndEarlierEntriesKept() throws Exception {
        try (MetadataController c = controller()) {
            c.createTopics(List.of(new TopicSpec("kept", 1, (short) 1, Map.of(), Map.of())), false).get();
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("journal.log"), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2, 3}));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (MetadataController c = controller()) {
            assertTrue(c.image().topic("kept").isPresent());
            c.createTopics(List.of(new TopicSpec("after", 1, (short) 1, Map.of(), Map.of())), false).get();
        }
        try (MetadataController c = controller()) {
            assertTrue(c.image().topic("after").isPresent());
        }
    }
}

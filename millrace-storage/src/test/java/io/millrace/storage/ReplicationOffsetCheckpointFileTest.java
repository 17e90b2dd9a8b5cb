package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationOffsetCheckpointFileTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(ReplicationOffsetCheckpointFile.FILE_NAME);
    }

    @Test
    void writesKafkasTextFormatAndReadsItBack() throws IOException {
        Map<TopicPartition, Long> offsets = Map.of(new TopicPartition("my-topic", 3), 42L,
                new TopicPartition("other-topic-with-dashes", 0), 0L);
        ReplicationOffsetCheckpointFile.write(file(), offsets);
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        assertEquals("0", lines.get(0));
        assertEquals("2", lines.get(1));
        assertEquals(List.of("my-topic 3 42", "other-topic-with-dashes 0 0"),
                lines.subList(2, 4).stream().sorted().toList());
        assertEquals(offsets, ReplicationOffsetCheckpointFile.read(file()).orElseThrow());
        assertFalse(Files.exists(dir.resolve(ReplicationOffsetCheckpointFile.FILE_NAME + SegmentFiles.TMP_SUFFIX)));
    }

    @Test
    void readsAFileKafkaWrote() throws IOException {
        Files.writeString(file(), "0\n2\n__consumer_offsets 7 1200\nt 1 5\n");
        assertEquals(Map.of(new TopicPartition("__consumer_offsets", 7), 1200L, new TopicPartition("t", 1), 5L),
                ReplicationOffsetCheckpointFile.read(file()).orElseThrow());
    }

    @Test
    void anEmptyDirectoryHasNoFileAndAnEmptyMapRoundTrips() throws IOException {
        assertEquals(Optional.empty(), ReplicationOffsetCheckpointFile.read(file()));
        ReplicationOffsetCheckpointFile.write(file(), Map.of());
        assertEquals(List.of("0", "0"), Files.readAllLines(file()));
        assertEquals(Map.of(), ReplicationOffsetCheckpointFile.read(file()).orElseThrow());
    }

    @Test
    void replacesTheWholeFileAtomically() throws IOException {
        ReplicationOffsetCheckpointFile.write(file(), Map.of(new TopicPartition("a", 0), 1L,
                new TopicPartition("b", 0), 2L));
        Files.writeString(dir.resolve(ReplicationOffsetCheckpointFile.FILE_NAME + SegmentFiles.TMP_SUFFIX),
                "left over by a crash mid-write");
        ReplicationOffsetCheckpointFile.write(file(), Map.of(new TopicPartition("a", 0), 9L));
        assertEquals(Map.of(new TopicPartition("a", 0), 9L), ReplicationOffsetCheckpointFile.read(file()).orElseThrow());
        assertFalse(Files.exists(dir.resolve(ReplicationOffsetCheckpointFile.FILE_NAME + SegmentFiles.TMP_SUFFIX)));
    }

    @Test
    void refusesADamagedFile() throws IOException {
        for (String damaged : List.of("", "1\n0\n", "0\n2\na 0 1\n", "0\n1\na 0\n", "0\n1\na x 1\n", "0\nmany\n")) {
            Files.writeString(file(), damaged);
            assertThrows(IOException.class, () -> ReplicationOffsetCheckpointFile.read(file()), damaged);
        }
        assertTrue(Files.exists(file()));
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The high watermarks of every partition of one log directory, in Kafka's
 * {@code replication-offset-checkpoint} text format (UTF-8): the version {@code 0} on the first
 * line, the entry count on the second, then one {@code <topic> <partition> <offset>} a line.
 * Replaced atomically with one fsync ({@link AtomicFiles}: temporary sibling, fsync, rename).
 *
 * <p>Stateless; callers serialise writes to one file ({@link DirectoryHighWatermarks}).
 */
final class ReplicationOffsetCheckpointFile {
    static final String FILE_NAME = "replication-offset-checkpoint";
    private static final String VERSION = "0";

    private ReplicationOffsetCheckpointFile() {
    }

    static void write(Path file, Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder(32 + offsets.size() * 24);
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
            text.append(entry.getKey().topic()).append(' ').append(entry.getKey().partition()).append(' ')
                    .append(entry.getValue().longValue()).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /**
     * The stored offsets; empty when there is no file.
     *
     * @throws IOException when the file exists but is not in the format above (a wrong version,
     *                     a count that does not match the lines, a malformed line)
     */
    static Optional<Map<TopicPartition, Long>> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).trim().equals(VERSION)) {
            throw new IOException("Unreadable " + file + ": expected version " + VERSION + " and a count");
        }
        int count;
        try {
            count = Integer.parseInt(lines.get(1).trim());
        } catch (NumberFormatException e) {
            throw new IOException("Unreadable entry count in " + file + ": " + lines.get(1), e);
        }
        List<String> entries = lines.subList(2, lines.size()).stream().filter(line -> !line.isBlank()).toList();
        if (count != entries.size()) {
            throw new IOException("Unreadable " + file + ": it announces " + count + " entries but has "
                    + entries.size());
        }
        Map<TopicPartition, Long> offsets = new HashMap<>(Math.max(16, count * 2));
        for (String line : entries) {
            String[] fields = line.trim().split(" ");
            if (fields.length != 3) {
                throw new IOException("Unreadable line in " + file + ": " + line);
            }
            try {
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            } catch (NumberFormatException e) {
                throw new IOException("Unreadable line in " + file + ": " + line, e);
            }
        }
        return Optional.of(offsets);
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;

/**
 * The topic id of the partition whose directory this is: {@code partition.metadata}, written
 * when the log is created and read when it is loaded, so that a directory left over from a
 * deleted topic of the same name is told apart from the current one.
 *
 * <p>On-disk format: UTF-8 text, two lines: {@code version: 0} and {@code topic_id: <id>} with
 * the id in Kafka's base64 form. Written when a log is created without an fsync (renamed into place,
 * so a process crash leaves it whole) and fsynced by "log-flusher" within a flush check interval,
 * as Kafka flushes it from its scheduler rather than on the creating thread; an empty file (an OS
 * crash before that fsync) reads as none.
 *
 * <p>Stateless.
 */
final class PartitionMetadataFile {
    static final String FILE_NAME = "partition.metadata";
    private static final String VERSION_LINE = "version: 0";
    private static final String KEY = "topic_id: ";

    private PartitionMetadataFile() {
    }

    /** The directory's topic id, and whether it was just written (not yet fsynced: see {@link #sync}). */
    record Resolved(Uuid topicId, boolean writtenUnsynced) {
    }

    /**
     * The directory's topic id: {@code topicId} when given (written if the directory has none,
     * without an fsync: the caller calls {@link #sync} later, as Kafka flushes this file from its
     * scheduler), else the stored one (or the zero id).
     *
     * @throws InconsistentTopicIdException if the directory holds a different id
     */
    static Resolved resolve(Path dir, Uuid topicId) throws IOException {
        Optional<Uuid> stored = read(dir);
        if (topicId == null || Uuid.ZERO_UUID.equals(topicId)) {
            return new Resolved(stored.orElse(Uuid.ZERO_UUID), false);
        }
        if (stored.isEmpty()) {
            AtomicFiles.writeString(dir.resolve(FILE_NAME), content(topicId), false);
            return new Resolved(topicId, true);
        } else if (!stored.get().equals(topicId)) {
            throw new InconsistentTopicIdException("Log directory " + dir + " belongs to topic id " + stored.get()
                    + ", not " + topicId);
        }
        return new Resolved(topicId, false);
    }

    static void write(Path dir, Uuid topicId) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), content(topicId));
    }

    /** fsyncs the file {@link #resolve} wrote. */
    static void sync(Path dir) throws IOException {
        AtomicFiles.fsync(dir.resolve(FILE_NAME));
    }

    private static String content(Uuid topicId) {
        return VERSION_LINE + "\n" + KEY + topicId + "\n";
    }

    /**
     * The stored topic id; empty when there is no file or it is empty.
     *
     * @throws IOException when the file exists but cannot be parsed
     */
    static Optional<Uuid> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty(); // written but not yet fsynced when the OS crashed
        }
        if (lines.size() < 2 || !lines.get(0).equals(VERSION_LINE) || !lines.get(1).startsWith(KEY)) {
            throw new IOException("Unreadable " + file + ": " + lines);
        }
        try {
            return Optional.of(Uuid.fromString(lines.get(1).substring(KEY.length()).trim()));
        } catch (IllegalArgumentException e) {
            throw new IOException("Unreadable topic id in " + file, e);
        }
    }
}

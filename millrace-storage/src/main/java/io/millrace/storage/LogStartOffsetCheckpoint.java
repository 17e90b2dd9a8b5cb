package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The log start offset of one partition, persisted so that DeleteRecords survives a restart:
 * the file {@code log-start-offset.checkpoint} in the partition directory.
 *
 * <p>On-disk format: UTF-8 text, two lines: {@code version 0} and {@code logStartOffset <n>}.
 * Replaced atomically (temporary file, fsync, rename).
 *
 * <p>Stateless; callers serialise writes (the log's append lock).
 */
final class LogStartOffsetCheckpoint {
    static final String FILE_NAME = "log-start-offset.checkpoint";
    private static final String VERSION_LINE = "version 0";
    private static final String KEY = "logStartOffset ";

    private LogStartOffsetCheckpoint() {
    }

    static void write(Path dir, long logStartOffset) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), VERSION_LINE + "\n" + KEY + logStartOffset + "\n");
    }

    /** The stored offset, or empty when there is no file or it cannot be parsed. */
    static OptionalLong read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() != 2 || !lines.get(0).equals(VERSION_LINE) || !lines.get(1).startsWith(KEY)) {
            return OptionalLong.empty();
        }
        try {
            long offset = Long.parseLong(lines.get(1).substring(KEY.length()).trim());
            return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }
}

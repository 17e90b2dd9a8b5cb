package io.millrace.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A small checkpoint file holding one offset: UTF-8 text, two lines, {@code version 0} and
 * {@code <key><n>} (the key ends with a space). Replaced atomically (temporary file, fsync,
 * rename; {@link AtomicFiles}). Shared by {@link HighWatermarkCheckpoint} and
 * {@link LogStartOffsetCheckpoint}.
 *
 * <p>Stateless; callers serialise writes to one file.
 */
final class OffsetCheckpointFile {
    private static final String VERSION_LINE = "version 0";

    private OffsetCheckpointFile() {
    }

    static void write(Path file, String key, long offset) throws IOException {
        AtomicFiles.writeString(file, VERSION_LINE + "\n" + key + offset + "\n");
    }

    /** The stored offset, or empty when there is no file, it cannot be parsed, or the offset is negative. */
    static OptionalLong read(Path file, String key) throws IOException {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() != 2 || !lines.get(0).equals(VERSION_LINE) || !lines.get(1).startsWith(key)) {
            return OptionalLong.empty();
        }
        try {
            long offset = Long.parseLong(lines.get(1).substring(key.length()).trim());
            return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The log start offset of one partition, persisted so that DeleteRecords survives a restart:
 * the file {@code log-start-offset.checkpoint} in the partition directory.
 *
 * <p>On-disk format ({@link OffsetCheckpointFile}): UTF-8 text, two lines: {@code version 0} and
 * {@code logStartOffset <n>}. Replaced atomically (temporary file, fsync, rename).
 *
 * <p>Stateless; callers serialise writes (the log's append lock).
 */
final class LogStartOffsetCheckpoint {
    static final String FILE_NAME = "log-start-offset.checkpoint";
    private static final String KEY = "logStartOffset ";

    private LogStartOffsetCheckpoint() {
    }

    static void write(Path dir, long logStartOffset) throws IOException {
        OffsetCheckpointFile.write(dir.resolve(FILE_NAME), KEY, logStartOffset);
    }

    /** The stored offset, or empty when there is no file or it cannot be parsed. */
    static OptionalLong read(Path dir) throws IOException {
        return OffsetCheckpointFile.read(dir.resolve(FILE_NAME), KEY);
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The high watermark of one partition, persisted so that a replica restarts with what it knew
 * was committed: the file {@code high-watermark-checkpoint} in the partition directory. Written
 * when the log is flushed, periodically by "log-flusher", when a truncation lowers it, and on
 * close; never by {@link PartitionLog#updateHighWatermark} (no I/O there). On open the high
 * watermark starts at min(checkpoint, log end offset); without the file at the log end offset.
 *
 * <p>On-disk format ({@link OffsetCheckpointFile}): UTF-8 text, two lines: {@code version 0} and
 * {@code highWatermark <n>}. Replaced atomically (temporary file, fsync, rename).
 *
 * <p>Thread-safety: {@link #write} is synchronized (flush, close and truncation may race); it
 * skips the write when the value is the one last written.
 */
final class HighWatermarkCheckpoint {
    static final String FILE_NAME = "high-watermark-checkpoint";
    private static final String KEY = "highWatermark ";

    private final Path dir;
    private long written;

    HighWatermarkCheckpoint(Path dir, long lastWritten) {
        this.dir = dir;
        this.written = lastWritten;
    }

    /**
     * Writes the high watermark {@code current} gives, unless it is what the file already holds.
     * The value is read under this object's monitor, so of two racing writers the later value
     * is the one left on disk.
     */
    synchronized void write(LongSupplier current) throws IOException {
        long highWatermark = current.getAsLong();
        if (highWatermark == written) {
            return;
        }
        OffsetCheckpointFile.write(dir.resolve(FILE_NAME), KEY, highWatermark);
        written = highWatermark;
    }

    /** The stored high watermark, or empty when there is no file or it cannot be parsed. */
    static OptionalLong read(Path dir) throws IOException {
        return OffsetCheckpointFile.read(dir.resolve(FILE_NAME), KEY);
    }
}

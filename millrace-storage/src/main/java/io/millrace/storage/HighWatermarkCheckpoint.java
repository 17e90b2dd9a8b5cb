package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The high watermark of one partition in its own file, {@code high-watermark-checkpoint} in the
 * partition directory: the store of a log opened on its own ({@link PartitionLog#open}, tests and
 * benchmarks), and the format older Millrace versions wrote for every log, which a
 * {@link LogManager} now reads once and replaces with its directory's
 * {@code replication-offset-checkpoint} ({@link DirectoryHighWatermarks}). Written when the log
 * is flushed, by an explicit checkpoint, when a truncation lowers it, and on close; never by
 * {@link PartitionLog#updateHighWatermark} (no I/O there).
 *
 * <p>On-disk format ({@link OffsetCheckpointFile}): UTF-8 text, two lines: {@code version 0} and
 * {@code highWatermark <n>}. Replaced atomically (temporary file, fsync, rename).
 *
 * <p>Thread-safety: writes are synchronized (flush, close and truncation may race); a write is
 * skipped when the value is the one last written.
 */
final class HighWatermarkCheckpoint implements HighWatermarkStore {
    static final String FILE_NAME = "high-watermark-checkpoint";
    private static final String KEY = "highWatermark ";

    private final Path dir;
    private final OptionalLong stored;
    private long written;

    HighWatermarkCheckpoint(Path dir, long lastWritten) {
        this.dir = dir;
        this.stored = lastWritten < 0 ? OptionalLong.empty() : OptionalLong.of(lastWritten);
        this.written = lastWritten;
    }

    /** The store of the partition directory {@code dir}, with what its file holds now. */
    static HighWatermarkCheckpoint open(Path dir) throws IOException {
        return new HighWatermarkCheckpoint(dir, read(dir).orElse(-1));
    }

    @Override
    public OptionalLong stored() {
        return stored;
    }

    /**
     * Writes the high watermark {@code current} gives, unless it is what the file already holds.
     * The value is read under this object's monitor, so of two racing writers the later value
     * is the one left on disk.
     */
    @Override
    public synchronized void write(LongSupplier current) throws IOException {
        long highWatermark = current.getAsLong();
        if (highWatermark == written) {
            return;
        }
        OffsetCheckpointFile.write(dir.resolve(FILE_NAME), KEY, highWatermark);
        written = highWatermark;
    }

    @Override
    public void writeIfLowered(LongSupplier current) throws IOException {
        write(current);
    }

    @Override
    public void writeOnFlushOrClose(LongSupplier current) throws IOException {
        write(current);
    }

    /** The stored high watermark, or empty when there is no file or it cannot be parsed. */
    static OptionalLong read(Path dir) throws IOException {
        return OffsetCheckpointFile.read(dir.resolve(FILE_NAME), KEY);
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }
}

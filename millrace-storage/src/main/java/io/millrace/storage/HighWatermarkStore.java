package io.millrace.storage;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Where one log persists its high watermark: the log directory's shared
 * {@code replication-offset-checkpoint} ({@link DirectoryHighWatermarks}, for logs a
 * {@link LogManager} holds) or the partition's own {@code high-watermark-checkpoint}
 * ({@link HighWatermarkCheckpoint}, for a log opened on its own).
 *
 * <p>Implementations are thread-safe.
 */
interface HighWatermarkStore {
    /** The high watermark stored when the log was opened, if any. */
    OptionalLong stored();

    /** An explicit checkpoint: the value {@code current} gives is on disk when this returns, unless it was already. */
    void write(LongSupplier current) throws IOException;

    /**
     * A truncation lowered the high watermark: a stored value above {@code current} is replaced
     * before this returns.
     */
    void writeIfLowered(LongSupplier current) throws IOException;

    /**
     * The log was flushed or is closing. The partition's own file is written now; the directory's
     * file waits for its next periodic round (or the {@link LogManager}'s close).
     */
    void writeOnFlushOrClose(LongSupplier current) throws IOException;
}

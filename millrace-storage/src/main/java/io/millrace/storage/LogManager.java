package io.millrace.storage;

import io.millrace.common.Time;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * Every partition log under the configured {@code log.dirs}. CONTRACT STUB: the storage
 * implementation replaces the bodies.
 *
 * <p>Owns two background threads: "log-retention" (every {@code retentionCheckIntervalMs}) and
 * "log-flusher" (time-based flush policy). Thread-safe.
 */
public final class LogManager implements Closeable {

    public LogManager(List<Path> logDirs, Time time, long retentionCheckIntervalMs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Opens every log found on disk (recovering those not cleanly shut down), asking
     * {@code configFor} for each topic's config. Logs whose directory is marked for deletion
     * are removed instead.
     */
    public Collection<PartitionLog> loadAll(Function<String, LogConfig> configFor) {
        throw new UnsupportedOperationException();
    }

    /** The log of {@code tp}, created in the least-loaded log dir when it does not exist. */
    public PartitionLog getOrCreate(TopicPartition tp, Uuid topicId, LogConfig config) {
        throw new UnsupportedOperationException();
    }

    public Optional<PartitionLog> get(TopicPartition tp) { throw new UnsupportedOperationException(); }

    public Collection<PartitionLog> all() { throw new UnsupportedOperationException(); }

    /** Closes the log of {@code tp} and removes its files (renamed first, deleted in the background). */
    public void delete(TopicPartition tp) { throw new UnsupportedOperationException(); }

    /** Starts the retention and flush threads. */
    public void startBackgroundTasks() { throw new UnsupportedOperationException(); }

    /** Stops the threads, flushes and closes every log, and marks the shutdown clean. */
    @Override
    public void close() { throw new UnsupportedOperationException(); }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high watermarks of every log in one log directory, persisted together in
 * {@code <logdir>/replication-offset-checkpoint} ({@link ReplicationOffsetCheckpointFile}), as
 * Kafka does: {@link #checkpoint} writes the file with one fsync, and only when some registered
 * log's high watermark (or the set of logs) differs from what the file holds. "log-flusher" calls
 * it every {@link LogManager#HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS}, the {@link LogManager} on
 * close, and a log whose truncation lowered its high watermark at once.
 *
 * <p>Migration: a log whose partition is not in the file takes the value of its own
 * {@code high-watermark-checkpoint} (what older versions wrote, {@link HighWatermarkCheckpoint});
 * that file is deleted once a checkpoint of the directory holding the partition succeeded.
 *
 * <p>Thread-safety: thread-safe. Logs register and unregister from any thread; checkpoints are
 * serialised by this object's monitor and read each log's high watermark without its lock.
 */
final class DirectoryHighWatermarks {
    private static final Logger log = LoggerFactory.getLogger(DirectoryHighWatermarks.class);

    private final Path file;
    private final Map<TopicPartition, Long> stored;
    private final Map<TopicPartition, LongSupplier> logs = new ConcurrentHashMap<>();
    /** Partition directories whose own high watermark file awaits deletion after the next checkpoint. */
    private final Set<Path> migrated = ConcurrentHashMap.newKeySet();
    /** What the file holds (guarded by this). */
    private Map<TopicPartition, Long> written;
    private boolean failing;

    private DirectoryHighWatermarks(Path file, Map<TopicPartition, Long> stored) {
        this.file = file;
        this.stored = Map.copyOf(stored);
        this.written = this.stored;
    }

    /**
     * Reads {@code <logDir>/replication-offset-checkpoint}. A damaged file is logged and ignored:
     * its logs then start as without a checkpoint (at their log end offset, or their own file's
     * value), and the next checkpoint replaces it.
     */
    static DirectoryHighWatermarks open(Path logDir) {
        Path file = logDir.resolve(ReplicationOffsetCheckpointFile.FILE_NAME);
        try {
            return new DirectoryHighWatermarks(file, ReplicationOffsetCheckpointFile.read(file).orElseGet(Map::of));
        } catch (IOException e) {
            log.warn("Ignoring the high watermarks in {}: {}", file, e.getMessage());
            return new DirectoryHighWatermarks(file, Map.of());
        }
    }

    /**
     * The store of the log of {@code tp} in {@code partitionDir}; {@code existed} false for a
     * directory just created (whatever the file still says of an earlier log of that name is
     * not this log's).
     */
    HighWatermarkStore storeFor(TopicPartition tp, Path partitionDir, boolean existed) throws IOException {
        OptionalLong value = OptionalLong.empty();
        if (existed) {
            Long fromFile = stored.get(tp);
            if (fromFile != null) {
                value = fromFile >= 0 ? OptionalLong.of(fromFile) : OptionalLong.empty();
            } else {
                value = HighWatermarkCheckpoint.read(partitionDir);
            }
            if (Files.exists(partitionDir.resolve(HighWatermarkCheckpoint.FILE_NAME))) {
                migrated.add(partitionDir);
            }
        }
        return new Store(tp, partitionDir, value);
    }

    /** From now on {@link #checkpoint} writes the high watermark {@code highWatermark} gives for {@code tp}. */
    void register(TopicPartition tp, LongSupplier highWatermark) {
        logs.put(tp, highWatermark);
    }

    /** The log of {@code tp} left this directory (deleted): the next checkpoint drops it. */
    void unregister(TopicPartition tp) {
        logs.remove(tp);
    }

    /**
     * Writes the file when a registered log's high watermark, or the set of logs, differs from
     * what it holds; then deletes the per-partition files it replaces. Returns whether it wrote.
     */
    synchronized boolean checkpoint() throws IOException {
        if (migrated.isEmpty() && matchesWritten()) {
            return false;
        }
        Map<TopicPartition, Long> current = new HashMap<>(logs.size() * 2);
        logs.forEach((tp, highWatermark) -> current.put(tp, highWatermark.getAsLong()));
        try {
            ReplicationOffsetCheckpointFile.write(file, current);
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                log.error("Could not write the high watermarks to {} (retrying every interval): {}", file,
                        e.toString());
            }
            throw e;
        }
        if (failing) {
            failing = false;
            log.info("Wrote the high watermarks to {} again", file);
        }
        written = current;
        for (Path partitionDir : migrated) {
            try {
                HighWatermarkCheckpoint.delete(partitionDir);
                migrated.remove(partitionDir);
            } catch (IOException e) {
                log.warn("Could not delete {} (replaced by {}): {}", partitionDir.resolve(
                        HighWatermarkCheckpoint.FILE_NAME), file, e.toString());
            }
        }
        return true;
    }

    private boolean matchesWritten() {
        if (logs.size() != written.size()) {
            return false;
        }
        for (Map.Entry<TopicPartition, LongSupplier> entry : logs.entrySet()) {
            Long onDisk = written.get(entry.getKey());
            if (onDisk == null || onDisk != entry.getValue().getAsLong()) {
                return false;
            }
        }
        return true;
    }

    private synchronized Long writtenFor(TopicPartition tp) {
        return written.get(tp);
    }

    /** One log's view of this directory's store. */
    private final class Store implements HighWatermarkStore {
        private final TopicPartition tp;
        private final Path partitionDir;
        private final OptionalLong stored;

        Store(TopicPartition tp, Path partitionDir, OptionalLong stored) {
            this.tp = tp;
            this.partitionDir = partitionDir;
            this.stored = stored;
        }

        @Override
        public OptionalLong stored() {
            return stored;
        }

        @Override
        public void write(LongSupplier current) throws IOException {
            Long onDisk = writtenFor(tp);
            if (onDisk == null || onDisk != current.getAsLong()) {
                checkpoint();
            }
        }

        @Override
        public void writeIfLowered(LongSupplier current) throws IOException {
            Long onDisk = writtenFor(tp);
            boolean lowered = onDisk != null ? onDisk > current.getAsLong()
                    : migrated.contains(partitionDir) && stored.orElse(-1) > current.getAsLong();
            if (lowered) {
                checkpoint();
            }
        }

        @Override
        public void writeOnFlushOrClose(LongSupplier current) {
            // the directory's next round (or the log manager's close) writes it with the others
        }
    }
}

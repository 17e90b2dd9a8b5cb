package io.millrace.storage;

import io.millrace.common.Time;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What reaches disk when, for one {@link PartitionLog}: fsync of the segments holding unflushed
 * data when {@code flush.messages}/{@code flush.ms} make it due (or on request), the high
 * watermark checkpoint, and the late fsync of the small files a new log wrote without one
 * ({@code partition.metadata}, the first {@code leader-epoch-checkpoint}).
 *
 * <p>Thread-safety: any thread. Segment fsyncs run under the flush lock, outside the append
 * lock; concurrent callers share one fsync (whoever holds the flush lock flushes every append
 * made so far, and the others then find their data flushed). Lock order: the append lock may be
 * taken with the flush lock free, and the flush lock inside the append lock (roll, close), never
 * the other way round.
 */
final class LogFlush {
    private final Path dir;
    private final Time time;
    private final AppendLock lock;
    private final StorageFailures failures;
    private final LogOffsets offsets;
    private final SegmentList segments;
    private final LeaderEpochCache epochs;
    private final HighWatermarkStore highWatermark;
    private final Supplier<LogConfig> config;
    private final FlushTracker tracker;
    private final Object flushLock = new Object();
    /** {@code partition.metadata} was written at creation and awaits its fsync ({@link #syncCreationFiles}). */
    private volatile boolean partitionMetadataUnsynced;

    LogFlush(Path dir, Time time, AppendLock lock, StorageFailures failures, LogOffsets offsets, SegmentList segments,
             LeaderEpochCache epochs, HighWatermarkStore highWatermark, Supplier<LogConfig> config, long logEndOffset) {
        this.dir = dir;
        this.time = time;
        this.lock = lock;
        this.failures = failures;
        this.offsets = offsets;
        this.segments = segments;
        this.epochs = epochs;
        this.highWatermark = highWatermark;
        this.config = config;
        this.tracker = new FlushTracker(logEndOffset);
    }

    Object flushLock() {
        return flushLock;
    }

    FlushTracker tracker() {
        return tracker;
    }

    void partitionMetadataWrittenUnsynced(boolean unsynced) {
        this.partitionMetadataUnsynced = unsynced;
    }

    /** See {@link PartitionLog#checkpointHighWatermark}. */
    void checkpointHighWatermark() {
        if (lock.isClosed()) {
            return;
        }
        try {
            highWatermark.write(offsets::highWatermark);
            failures.succeeded("checkpoint the high watermark of");
        } catch (IOException e) {
            throw lock.storageError("checkpoint the high watermark of", e);
        }
    }

    /** See {@link PartitionLog#syncCreationFiles}. I/O errors become KafkaStorageException. */
    void syncCreationFiles() {
        try {
            syncCreationFilesOrThrow();
        } catch (IOException e) {
            throw lock.storageError("fsync the new files of", e);
        }
    }

    /** As {@link #syncCreationFiles}, for callers already handling I/O errors (close). */
    void syncCreationFilesOrThrow() throws IOException {
        if (partitionMetadataUnsynced) {
            try {
                PartitionMetadataFile.sync(dir);
            } catch (NoSuchFileException e) {
                // deleted with the log meanwhile
            }
            partitionMetadataUnsynced = false;
        }
        epochs.syncIfNeeded();
    }

    /** See {@link PartitionLog#flushIfDue}. */
    boolean flushIfDue() {
        if (!lock.isClosed() && tracker.isDue(offsets.logEnd(), config.get(), time.milliseconds())) {
            flush();
            return true;
        }
        return false;
    }

    /** See {@link PartitionLog#flush}. */
    void flush() {
        flushSegments();
        if (lock.isClosed()) {
            return;
        }
        syncCreationFiles();
        try {
            highWatermark.writeOnFlushOrClose(offsets::highWatermark);
        } catch (IOException e) {
            throw lock.storageError("checkpoint the high watermark of", e);
        }
    }

    private void flushSegments() {
        long target;
        synchronized (flushLock) {
            target = offsets.logEnd();
            if (target <= tracker.recoveryPoint() || lock.isClosed()) {
                return;
            }
            try {
                for (LogSegment segment : segments.from(tracker.recoveryPoint())) {
                    segment.flush();
                }
            } catch (ClosedChannelException e) {
                return; // deleted or closed meanwhile; whoever did it flushed or no longer needs it
            } catch (IOException e) {
                throw lock.storageError("flush", e);
            }
        }
        lock.run(() -> tracker.onFlushed(target, offsets.logEnd(), time.milliseconds()));
    }
}

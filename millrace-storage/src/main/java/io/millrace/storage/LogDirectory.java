package io.millrace.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * One of the broker's log directories, held for the life of a {@link LogManager}: an exclusive
 * lock on {@code .lock} so that two brokers never share it, the clean-shutdown marker, and the
 * high watermarks of its logs ({@link DirectoryHighWatermarks}, {@code replication-offset-checkpoint}).
 *
 * <p>On-disk files (besides one subdirectory per partition): {@code .lock} (empty, locked
 * while open) and {@code .clean-shutdown} (empty; present only between a clean close and the
 * next start). On open the marker's presence is remembered and the marker removed, so a crash
 * from then on is seen as unclean at the next start.
 *
 * <p>Thread-safety: immutable after open, except {@link #close}.
 */
final class LogDirectory {
    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean hadCleanShutdown;
    private final DirectoryHighWatermarks highWatermarks;

    private LogDirectory(Path path, FileChannel lockChannel, FileLock lock, boolean hadCleanShutdown) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hadCleanShutdown = hadCleanShutdown;
        this.highWatermarks = DirectoryHighWatermarks.open(path);
    }

    static LogDirectory open(Path path) {
        try {
            Files.createDirectories(path);
            FileChannel channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new KafkaStorageException("Log directory " + path + " is in use by another broker");
            }
            Path marker = path.resolve(CLEAN_SHUTDOWN_FILE);
            boolean clean = Files.exists(marker);
            Files.deleteIfExists(marker);
            return new LogDirectory(path, channel, lock, clean);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot open log directory " + path + ": " + e, e);
        }
    }

    Path path() {
        return path;
    }

    boolean hadCleanShutdown() {
        return hadCleanShutdown;
    }

    /** The high watermarks of this directory's logs. */
    DirectoryHighWatermarks highWatermarks() {
        return highWatermarks;
    }

    /** Releases the lock, writing the clean-shutdown marker first when {@code clean}. */
    void close(boolean clean) throws IOException {
        try {
            if (clean) {
                AtomicFiles.writeString(path.resolve(CLEAN_SHUTDOWN_FILE), "");
            }
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}

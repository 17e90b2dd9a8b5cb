package io.millrace.storage;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The append lock of one {@link PartitionLog} and whether the log is closed: appends, roll,
 * retention, truncation, close and the cleaner's segment swap run under it, taken once per call
 * (not per record). I/O failures under it become {@link KafkaStorageException}s, reported once
 * per operation by {@link StorageFailures}. Thread-safe.
 */
final class AppendLock {
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final TopicPartition topicPartition;
    private final StorageFailures failures;
    private volatile boolean closed;

    AppendLock(TopicPartition topicPartition, StorageFailures failures) {
        this.topicPartition = topicPartition;
        this.failures = failures;
    }

    /** Runs {@code action} under the lock on an open log; I/O errors become KafkaStorageException. */
    <T> T call(String what, LockedAction<T> action) {
        lock.lock();
        try {
            if (closed) {
                throw new KafkaStorageException("The log of " + topicPartition + " is closed");
            }
            T result = action.run();
            failures.succeeded(what);
            return result;
        } catch (IOException e) {
            throw storageError(what, e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} (no I/O) under the lock, open or closed. */
    <T> T read(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} (no I/O) under the lock, open or closed. */
    void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock unless the log is closed, then answering {@code ifClosed}. */
    <T> T whileOpen(String what, T ifClosed, LockedAction<T> action) {
        lock.lock();
        try {
            return closed ? ifClosed : action.run();
        } catch (IOException e) {
            throw storageError(what, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the log and runs {@code action} under the lock; when it was closed already, runs it
     * only if {@code evenIfClosed}.
     */
    void close(String what, boolean evenIfClosed, LockedAction<Void> action) {
        lock.lock();
        try {
            if (closed && !evenIfClosed) {
                return;
            }
            closed = true;
            action.run();
        } catch (IOException e) {
            throw storageError(what, e);
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    KafkaStorageException storageError(String what, IOException e) {
        failures.failed(what, e);
        return new KafkaStorageException("Failed to " + what + " the log of " + topicPartition + ": " + e, e);
    }
}

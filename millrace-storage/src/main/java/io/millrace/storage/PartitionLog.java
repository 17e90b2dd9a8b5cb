package io.millrace.storage;

import io.millrace.common.Time;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One partition's append-only log on disk: a directory {@code <topic>-<partition>} of segments.
 * CONTRACT STUB: the storage implementation replaces every body; signatures are the contract
 * the server codes against.
 *
 * <p>Thread-safety: all methods may be called from many threads at once. Appends are serialised
 * by a per-log lock taken once per request (not per record); reads do not block appends.
 *
 * <p>Errors are thrown as kafka-clients {@code org.apache.kafka.common.errors} exceptions so the
 * server maps them with {@code Errors.forException}.
 */
public final class PartitionLog implements Closeable {

    /** Opens (recovering as needed) or creates the log in {@code dir}. */
    public static PartitionLog open(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Time time,
                                    boolean hadCleanShutdown) {
        throw new UnsupportedOperationException();
    }

    public TopicPartition topicPartition() { throw new UnsupportedOperationException(); }

    public Uuid topicId() { throw new UnsupportedOperationException(); }

    public Path dir() { throw new UnsupportedOperationException(); }

    public LogConfig config() { throw new UnsupportedOperationException(); }

    public void updateConfig(LogConfig config) { throw new UnsupportedOperationException(); }

    /**
     * Appends batches a producer sent (Kafka v2 format, offsets not yet assigned). Validates
     * every batch (CorruptRecordException on a bad CRC or length, InvalidRecordException for
     * batches the format forbids, RecordTooLargeException above max.message.bytes,
     * UnsupportedForMessageFormatException for magic below 2), checks idempotent producer
     * sequences (OutOfOrderSequenceException, InvalidProducerEpochException), assigns offsets
     * by rewriting headers in place, stamps LogAppendTime and the leader epoch, and writes.
     * A retried batch already stored returns its original offsets with duplicate=true.
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        throw new UnsupportedOperationException();
    }

    /** Appends batches that already carry offsets (a follower copying its leader). */
    public AppendResult appendAsFollower(ByteBuffer batches) { throw new UnsupportedOperationException(); }

    /**
     * Reads whole batches starting with the one containing {@code offset}, up to
     * {@code maxBytes} (at least one whole batch when {@code minOneBatch}), never past
     * {@code maxOffsetExclusive}. Throws OffsetOutOfRangeException when offset is below the log
     * start offset or above the log end offset.
     */
    public ReadResult read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        throw new UnsupportedOperationException();
    }

    public long logStartOffset() { throw new UnsupportedOperationException(); }

    public long logEndOffset() { throw new UnsupportedOperationException(); }

    public long highWatermark() { throw new UnsupportedOperationException(); }

    /** Sets the high watermark (single node: the log end offset after each append). */
    public void updateHighWatermark(long offset) { throw new UnsupportedOperationException(); }

    /** The first record whose timestamp is at or after {@code timestamp}, if any. */
    public Optional<OffsetAndTimestamp> offsetForTimestamp(long timestamp) {
        throw new UnsupportedOperationException();
    }

    /** The record with the largest timestamp (the earliest such on ties), if any. */
    public Optional<OffsetAndTimestamp> maxTimestamp() { throw new UnsupportedOperationException(); }

    /** Advances the log start offset to {@code offset} (DeleteRecords); returns the new start. */
    public long deleteRecordsBefore(long offset) { throw new UnsupportedOperationException(); }

    /** Applies retention by time and by size; returns how many segments were removed. */
    public int deleteExpiredSegments() { throw new UnsupportedOperationException(); }

    /** Removes every record at or above {@code offset} (a follower truncating). */
    public void truncateTo(long offset) { throw new UnsupportedOperationException(); }

    /** Flushes if the flush policy says it is due. */
    public void flushIfDue() { throw new UnsupportedOperationException(); }

    public void flush() { throw new UnsupportedOperationException(); }

    /** Flushes, writes the producer state, and closes files. */
    @Override
    public void close() { throw new UnsupportedOperationException(); }

    /** Closes and removes every file of this log. */
    public void deleteFiles() { throw new UnsupportedOperationException(); }
}

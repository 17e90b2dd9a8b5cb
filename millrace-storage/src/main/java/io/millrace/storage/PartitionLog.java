package io.millrace.storage;

import io.millrace.common.Time;
import io.millrace.wire.batch.TransactionMarker;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's append-only log on disk: a directory {@code <topic>-<partition>} of segments
 * ({@link LogSegment}), producer-state snapshots ({@link ProducerStateSnapshotFile}), the log
 * start offset checkpoint ({@link LogStartOffsetCheckpoint}), the cleaner checkpoint of a
 * compacted log ({@link CleanerCheckpoint}), the leader epochs ({@link LeaderEpochCache}), the
 * high watermark ({@link HighWatermarkStore}: its log directory's file, or its own) and {@code partition.metadata}
 * ({@link PartitionMetadataFile}).
 *
 * <p>Thread-safety: all methods may be called from many threads at once. Appends, roll,
 * retention, truncation, close and the log cleaner's segment swap are serialised by one
 * {@link AppendLock} taken once per call (not per record); the cleaner reads and rewrites sealed segments
 * without it ({@link LogCleaning}, through {@link CleanerHooks}). Appends, rolls, retention and truncation run in {@link LogWrites}.
 * Reads and timestamp lookups ({@link LogReads}) take no lock: they read the
 * volatile offsets, then segments up to the size each had when the read began; a read that
 * races with a segment's deletion sees its channel closed and starts over (and then usually
 * finds its offset below the new log start). fsync runs outside the append lock.
 *
 * <p>Errors are thrown as kafka-clients {@code org.apache.kafka.common.errors} exceptions so the
 * server maps them with {@code Errors.forException}; I/O failures become
 * {@link KafkaStorageException}.
 */
public final class PartitionLog implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Time time;
    private final AppendLock lock;
    private final SegmentList segments;
    private final RetiredSegments retired;
    private final ProducerStateManager producers;
    private volatile LogConfig config;
    private final LogOffsets offsets;
    private final LogFlush flushing;
    private final LogReads reads;
    /** Where the cleaner stopped (compacted logs); changed under the append lock. */
    private final CleanerCheckpoint cleanerCheckpoint;
    private final LeaderEpochCache epochs;
    private final HighWatermarkStore highWatermarkCheckpoint;
    private final LogWrites writes;
    private final StorageFailures failures;
    private final CleanerHooks cleanerHooks;

    private PartitionLog(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Time time,
                         LogLoader.Loaded loaded, StorageHealth health, HighWatermarkStore highWatermarkStore) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.failures = new StorageFailures(topicPartition, dir, health);
        this.lock = new AppendLock(topicPartition, failures);
        this.topicId = topicId;
        this.config = config;
        this.time = time;
        this.segments = loaded.segments();
        this.producers = loaded.producers();
        this.offsets = new LogOffsets(loaded.logStartOffset(), loaded.logEndOffset(), loaded.highWatermark(),
                producers.table());
        this.epochs = loaded.epochs();
        this.highWatermarkCheckpoint = highWatermarkStore;
        this.flushing = new LogFlush(dir, time, lock, failures, offsets, segments, epochs, highWatermarkStore,
                () -> this.config, loaded.logEndOffset());
        this.reads = new LogReads(this, segments);
        this.cleanerCheckpoint = new CleanerCheckpoint(dir, loaded.cleanerCheckpoint());
        this.retired = new RetiredSegments(topicPartition);
        this.writes = new LogWrites(this, offsets, time, flushing.flushLock(), segments, retired, producers, epochs,
                flushing.tracker(), cleanerCheckpoint, highWatermarkCheckpoint);
        this.cleanerHooks = new CleanerHooks(this, time, lock, segments, offsets, producers, cleanerCheckpoint);
    }

    /**
     * Opens (recovering as needed) or creates the log in {@code dir}. The high watermark starts
     * at min(the checkpointed high watermark, the log end offset), or at the log end offset when
     * the directory has no {@code high-watermark-checkpoint} (a log written before there was one);
     * a single-replica leader raises it to the log end with {@link #updateHighWatermark}.
     *
     * @param topicId the topic's id, written to {@code partition.metadata} on creation; null to
     *                take whatever the directory holds
     * @throws InconsistentTopicIdException if the directory belongs to another topic id
     */
    public static PartitionLog open(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Time time,
                                    boolean hadCleanShutdown) {
        return open(dir, tp, topicId, config, time, hadCleanShutdown, StorageHealth.UNWATCHED);
    }

    /** {@link #open(Path, TopicPartition, Uuid, LogConfig, Time, boolean)}, reporting failed writes to {@code health}. */
    static PartitionLog open(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Time time,
                             boolean hadCleanShutdown, StorageHealth health) {
        try {
            Files.createDirectories(dir);
            return open(dir, tp, topicId, config, time, hadCleanShutdown, health, HighWatermarkCheckpoint.open(dir));
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot open the log of " + tp + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** As above, keeping the high watermark in {@code highWatermarkStore} (a {@link LogManager}'s directory file). */
    static PartitionLog open(Path dir, TopicPartition tp, Uuid topicId, LogConfig config, Time time,
                             boolean hadCleanShutdown, StorageHealth health, HighWatermarkStore highWatermarkStore) {
        try {
            Files.createDirectories(dir);
            PartitionMetadataFile.Resolved resolved = PartitionMetadataFile.resolve(dir, topicId);
            Uuid effective = resolved.topicId();
            LogLoader.Loaded loaded = LogLoader.load(dir, tp, config, time.milliseconds(), hadCleanShutdown,
                    highWatermarkStore.stored());
            PartitionLog partitionLog = new PartitionLog(dir, tp, effective, config, time, loaded, health,
                    highWatermarkStore);
            partitionLog.flushing.partitionMetadataWrittenUnsynced(resolved.writtenUnsynced());
            log.debug("Opened {} in {}: offsets {} to {}, {} segments", tp, dir, loaded.logStartOffset(),
                    loaded.logEndOffset(), loaded.segments().size());
            return partitionLog;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot open the log of " + tp + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Takes effect from the next append; index sizes apply to segments created afterwards. */
    public void updateConfig(LogConfig config) {
        this.config = config;
    }

    /**
     * Appends batches a producer sent (Kafka v2 format, offsets not yet assigned). Validates
     * every batch first ({@link AppendValidator}), checks idempotent producer sequences
     * ({@link ProducerSequenceCheck}), assigns offsets by rewriting headers in place, stamps
     * LogAppendTime and the leader epoch ({@link BatchStamper}), and writes. A retried batch
     * already stored returns its original offsets with duplicate=true. The buffer's bytes are
     * rewritten (a read-only buffer is copied first); its position and limit are left alone.
     *
     * @throws RejectedRecordsException when particular records are at fault (no key on a compacted
     *         log, a timestamp out of range), naming each of them
     * @throws org.apache.kafka.common.InvalidRecordException among others, for a malformed batch
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        return appendAsLeader(batches, leaderEpoch, AppendOrigin.CLIENT);
    }

    /** As above, from {@code origin}: how producer fields are checked ({@link AppendOrigin}). */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, AppendOrigin origin) {
        return appendAsLeader(batches, leaderEpoch, origin, VerificationGuard.UNCHECKED);
    }

    /**
     * As above, held to a transaction verification: a transactional batch that would begin its
     * producer's transaction here is written only while {@code guard} is that producer's current
     * verification ({@link VerificationGuard}; {@link VerificationGuard#UNCHECKED}: not held).
     *
     * @throws org.apache.kafka.common.errors.InvalidTxnStateException when it is not
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, AppendOrigin origin,
                                       VerificationGuard guard) {
        ByteBuffer buffer = batches.isReadOnly() ? copyOf(batches) : batches.duplicate();
        LogConfig cfg = config;
        long now = time.milliseconds();
        ValidatedBatches validated = AppendValidator.validateFromProducer(buffer, cfg, now, topicPartition);
        if (validated.count() == 0) {
            return new AppendResult(-1, -1, -1, offsets.logStart(), 0, false);
        }
        AppendResult result = lock.call("append to",
                () -> writes.appendAsLeader(buffer, validated, leaderEpoch, origin, guard, cfg, now));
        flushIfDue();
        return result;
    }

    /**
     * Appends batches that already carry offsets (a follower copying its leader). They keep the
     * leader's epochs: each batch whose partition leader epoch is newer than {@link #latestEpoch}
     * starts a leader epoch entry at its base offset.
     */
    public AppendResult appendAsFollower(ByteBuffer batches) {
        ByteBuffer buffer = batches.duplicate();
        AppendResult result = lock.call("append to", () -> writes.appendAsFollower(buffer));
        flushIfDue();
        return result;
    }

    /**
     * Appends a transaction marker as leader (WriteTxnMarkers): a control batch with one COMMIT or
     * ABORT record for {@code producerId} at {@code producerEpoch}, which ends that producer's
     * ongoing transaction here; an ABORT goes into the segment's aborted-transaction index.
     *
     * @throws org.apache.kafka.common.errors.InvalidProducerEpochException if the producer's
     *         epoch here is newer
     * @throws org.apache.kafka.common.errors.TransactionCoordinatorFencedException if the last
     *         marker came from a newer coordinator epoch
     */
    public AppendResult appendTransactionMarker(long producerId, short producerEpoch, TransactionMarker marker,
                                                int leaderEpoch) {
        LogConfig cfg = config;
        long now = time.milliseconds();
        AppendResult result = lock.call("append a transaction marker to",
                () -> writes.appendMarker(producerId, producerEpoch, marker, leaderEpoch, cfg, now));
        flushIfDue();
        return result;
    }

    private static ByteBuffer copyOf(ByteBuffer source) {
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source.duplicate()).flip();
        return copy;
    }

    /**
     * Reads whole batches starting with the one containing {@code offset}, up to
     * {@code maxBytes} (at least one whole batch when {@code minOneBatch}), never one whose base
     * offset is at or above {@code maxOffsetExclusive}.
     *
     * @throws OffsetOutOfRangeException when offset is below the log start offset or above the
     *                                   log end offset
     */
    public ReadResult read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        return reads.read(offset, maxBytes, maxOffsetExclusive, minOneBatch);
    }

    /**
     * As {@link #read}, but the batches stay in their segment file: a region to send with
     * {@code FileChannel.transferTo}. Sending must finish before the segment's channel closes.
     * Segments leave the log (retention, DeleteRecords, the cleaner's swap, a follower's
     * truncation of whole segments) with their channels open for {@code file.delete.delay.ms}
     * more, so a send that takes less than that is whole; a longer one, or one racing a close of
     * the whole log, fails with an IOException and its connection closes. The segment a
     * follower's {@link #truncateTo} cuts shrinks in place: a region of it reaching past the cut
     * fails with EOFException once the send gets there (never sending other bytes as if whole);
     * regions below the high watermark are untouched unless a truncation goes below it.
     */
    public FileReadResult readFileRegion(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        return reads.readFileRegion(offset, maxBytes, maxOffsetExclusive, minOneBatch);
    }

    public long logStartOffset() {
        return offsets.logStart();
    }

    public long logEndOffset() {
        return offsets.logEnd();
    }

    public long highWatermark() {
        return offsets.highWatermark();
    }

    /**
     * The last stable offset: the first offset of the oldest transaction still open (or ended by
     * a marker not yet below the high watermark), else the high watermark; never below the log
     * start. A read_committed consumer reads below it.
     */
    public long lastStableOffset() {
        return offsets.lastStable();
    }

    /**
     * The aborted transactions that overlap [fetchOffset, upperBoundOffset), from the segments'
     * aborted-transaction indexes, in marker order: what a read_committed fetch answers along
     * with the records it returns. Takes no lock.
     */
    public List<AbortedTransaction> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        return reads.abortedTransactions(fetchOffset, upperBoundOffset);
    }

    /**
     * Sets the high watermark, kept within [log start offset, log end offset]. No I/O: the value
     * reaches {@code high-watermark-checkpoint} on the next flush, periodic checkpoint or close.
     */
    public void updateHighWatermark(long offset) {
        lock.run(() -> offsets.setHighWatermark(Math.max(offsets.logStart(), Math.min(offset, offsets.logEnd()))));
    }

    /**
     * The first record whose timestamp is at or after {@code timestamp}, among the records
     * consumers may see (from the log start offset to below the high watermark), if any.
     */
    public Optional<OffsetAndTimestamp> offsetForTimestamp(long timestamp) {
        return reads.offsetForTimestamp(timestamp);
    }

    /** The record with the largest timestamp (the earliest such on ties), if any. */
    public Optional<OffsetAndTimestamp> maxTimestamp() {
        return reads.maxTimestamp();
    }

    /**
     * Advances the log start offset to {@code offset} (DeleteRecords), persists it, and deletes
     * the segments wholly below it; returns the new start.
     *
     * @throws OffsetOutOfRangeException if offset is above the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        return lock.call("delete records of", () -> {
            if (offset > offsets.highWatermark()) {
                throw new OffsetOutOfRangeException("Cannot delete the records of " + topicPartition + " before offset "
                        + offset + ": it is above the high watermark " + offsets.highWatermark());
            }
            if (offset > offsets.logStart()) {
                writes.advanceLogStartOffset(offset);
                log.info("Advanced the log start offset of {} to {} (records deleted on request)", topicPartition,
                        offset);
            }
            writes.deleteSegments(false, true);
            return offsets.logStart();
        });
    }

    /** Applies retention by time and by size; returns how many segments were removed. */
    public int deleteExpiredSegments() {
        if (lock.isClosed()) {
            return 0;
        }
        retired.deleteDue(time.milliseconds());
        return lock.call("apply retention to", () -> writes.deleteSegments(true, false));
    }

    /** When the next segment removed by retention is due for deletion, or Long.MAX_VALUE. */
    long nextRetiredDeletionMs() {
        return retired.nextDueMs();
    }

    /** Deletes the removed segments whose file.delete.delay.ms has passed (the "log-retention" thread). */
    void deleteRetiredSegments() {
        retired.deleteDue(time.milliseconds());
    }

    /**
     * Where leader epoch {@code epoch} ends in this log (OffsetsForLeaderEpoch, KIP-101/279/320):
     * the largest epoch at or below it that this log holds records of (or was told of by
     * {@link #assignEpochStartOffset}) and the start offset of the next epoch, or the log end
     * offset for the latest epoch (also the answer for any epoch above it). For an epoch below
     * the first one known the answer is (the requested epoch, the first epoch's start offset),
     * as Kafka answers (KIP-279); {@link EpochEndOffset#UNDEFINED} when the log knows no epoch
     * at all or {@code epoch} is negative.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return lock.read(() -> epochs.endOffsetFor(epoch, offsets.logEnd()));
    }

    /** The latest leader epoch of this log (of its last batch or its last assigned epoch), or -1 when none. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * A leader elected at {@code epoch} records that its epoch starts at {@code startOffset} (its
     * log end offset), before any batch of that epoch is appended. Ignored unless {@code epoch}
     * is newer than {@link #latestEpoch}; an older epoch that starts at or after
     * {@code startOffset} (one that never got a record) is replaced. Written to
     * {@code leader-epoch-checkpoint} before returning.
     *
     * @throws IllegalArgumentException if startOffset is past the log end offset
     */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        lock.call("record leader epoch " + epoch + " of", () -> {
            if (startOffset > offsets.logEnd()) {
                throw new IllegalArgumentException("Leader epoch " + epoch + " of " + topicPartition
                        + " cannot start at " + startOffset + ", past the log end offset " + offsets.logEnd());
            }
            epochs.assign(epoch, startOffset);
            return null;
        });
    }

    /**
     * Removes every record at or above {@code offset} (a follower truncating), and the leader
     * epochs that start there. Whole batches only: the log then ends at the base offset of the
     * batch holding {@code offset} (below it when that batch holds several offsets). A target below the log start empties the log and restarts it at
     * {@code offset}. Segments that leave whole are retired ({@code file.delete.delay.ms}); a
     * region of the cut segment that reaches past the cut fails its send (see {@link LogTruncation}).
     */
    public void truncateTo(long offset) {
        lock.call("truncate", () -> {
            writes.truncateTo(offset);
            return null;
        });
    }

    /**
     * Empties the log and restarts it at {@code offset}: every segment leaves (retired for
     * {@code file.delete.delay.ms}), log start, log end and high watermark become
     * {@code offset}, the leader epochs and producer state are forgotten. For a follower whose
     * fetch offset fell below its leader's log start offset.
     */
    public void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot restart " + topicPartition + " at offset " + offset);
        }
        lock.call("truncate fully", () -> {
            writes.truncateFullyAndStartAt(offset);
            return null;
        });
    }

    /**
     * Writes the high watermark now if it changed since the last write (fsync; outside the append
     * lock): for a log a {@link LogManager} holds, its directory's whole
     * {@code replication-offset-checkpoint}, which "log-flusher" otherwise writes every
     * {@link LogManager#HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS}; for a log opened on its own, its
     * {@code high-watermark-checkpoint}.
     */
    public void checkpointHighWatermark() {
        flushing.checkpointHighWatermark();
    }

    /**
     * fsyncs the small files creating the log wrote without one: {@code partition.metadata} and
     * the first {@code leader-epoch-checkpoint} ("log-flusher" calls this every flush check
     * interval; a flush and close do too).
     */
    void syncCreationFiles() {
        flushing.syncCreationFiles();
    }

    /**
     * Flushes if flush.messages unflushed offsets piled up or the oldest unflushed append is flush.ms old;
     * true when it flushed.
     */
    public boolean flushIfDue() {
        return flushing.flushIfDue();
    }

    /** Bytes of this log's segments on disk now (metrics: Kafka's Log Size). */
    public long sizeInBytes() {
        long bytes = 0;
        for (LogSegment segment : segments.snapshot()) {
            bytes += segment.size();
        }
        return bytes;
    }

    /**
     * fsyncs every segment holding unflushed data (outside the append lock); a log opened on its
     * own then writes its high watermark file (a {@link LogManager}'s logs leave that to the
     * directory's periodic checkpoint).
     */
    public void flush() {
        flushing.flush();
    }

    /** Flushes, writes the producer state and the high watermark, and closes files. Idempotent. */
    @Override
    public void close() {
        lock.close("close", false, () -> {
            flushing.syncCreationFilesOrThrow();
            writes.sealUnderFlushLock(segments.active());
            producers.takeSnapshot(offsets.logEnd());
            highWatermarkCheckpoint.writeOnFlushOrClose(offsets::highWatermark);
            retired.closeWith(segments.snapshot());
            log.debug("Closed {} at offsets {} to {}", topicPartition, offsets.logStart(), offsets.logEnd());
            return null;
        });
    }

    /** Closes and removes every file of this log. */
    public void deleteFiles() {
        lock.close("delete", true, () -> {
            retired.closeWith(segments.snapshot());
            AtomicFiles.deleteRecursively(dir);
            return null;
        });
    }

    // ---- For the log cleaner (package-private) ----

    /** The segments now, oldest first, the active one last. */
    List<LogSegment> segmentSnapshot() {
        return segments.snapshot();
    }

    /**
     * Starts (or joins) a verification of the producer's next transactional write here, before
     * the leader asks the transaction coordinator (KIP-890): {@link VerificationGuard#NONE} when
     * its transaction is open here at that epoch already (nothing to verify), else the guard the
     * append must carry.
     *
     * @param epochBumps whether the write is at transaction version 2 (see {@link TransactionVerifications})
     */
    public VerificationGuard startTransactionVerification(long producerId, short producerEpoch, boolean epochBumps) {
        long now = time.milliseconds();
        return lock.call("start a transaction verification on", () -> {
            ProducerEntry entry = producers.table().get(producerId);
            if (entry != null && entry.epoch() == producerEpoch
                    && entry.ongoingTxnFirstOffset() != ProducerEntry.NO_TRANSACTION) {
                return VerificationGuard.NONE;
            }
            return writes.verifications().start(producerId, producerEpoch, epochBumps, now);
        });
    }

    /** Every producer this partition keeps state for (DescribeProducers). */
    public List<ActiveProducer> activeProducers() {
        return lock.call("read the producer state of", () -> producers.table().activeProducers());
    }

    /** Forgets producers idle {@code expirationMs} without an open transaction; returns how many. */
    public int removeExpiredProducers(long expirationMs) {
        long now = time.milliseconds();
        return lock.call("expire producers of", () -> {
            writes.verifications().removeOlderThan(now, expirationMs);
            return producers.table().removeExpired(now, expirationMs);
        });
    }

    /** The hooks of the log cleaner into this log. */
    CleanerHooks cleanerHooks() {
        return cleanerHooks;
    }

    boolean isClosed() {
        return lock.isClosed();
    }

    KafkaStorageException storageError(String what, IOException e) {
        return lock.storageError(what, e);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", " + dir + ", offsets " + offsets.logStart() + ".."
                + offsets.logEnd() + ")";
    }
}

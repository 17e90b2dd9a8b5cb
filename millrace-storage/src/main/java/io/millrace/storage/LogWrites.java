package io.millrace.storage;

import io.millrace.common.Time;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import io.millrace.wire.batch.TransactionMarker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of a {@link PartitionLog} (the counterpart of {@link LogReads}): appends as
 * leader and as follower, rolling segments, retention and DeleteRecords ({@link RetentionPolicy}),
 * and truncation ({@link LogTruncation}) with the
 * side state it brings along (producer state, leader epochs, checkpoints, flush tracking).
 * Publishes the log's new bounds in the {@link LogOffsets} it shares with the log.
 *
 * <p>Thread-safety: every method runs under the log's append lock (called from inside
 * {@code PartitionLog.underLock} or another method holding it); not thread-safe on its own.
 */
final class LogWrites {
    /** Logs under PartitionLog's name, as before this class was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final PartitionLog partitionLog;
    private final LogOffsets offsets;
    private final Path dir;
    private final TopicPartition topicPartition;
    private final Time time;
    private final Object flushLock;
    private final SegmentList segments;
    private final RetiredSegments retired;
    private final ProducerStateManager producers;
    private final LeaderEpochCache epochs;
    private final FlushTracker flushTracker;
    private final CleanerCheckpoint cleanerCheckpoint;
    private final HighWatermarkStore highWatermarkCheckpoint;
    private final RecordBatchHeader replayHeader = new RecordBatchHeader();
    private final TransactionVerifications verifications = new TransactionVerifications();

    LogWrites(PartitionLog partitionLog, LogOffsets offsets, Time time, Object flushLock, SegmentList segments,
              RetiredSegments retired, ProducerStateManager producers, LeaderEpochCache epochs, FlushTracker flushTracker,
              CleanerCheckpoint cleanerCheckpoint, HighWatermarkStore highWatermarkCheckpoint) {
        this.partitionLog = partitionLog;
        this.offsets = offsets;
        this.dir = partitionLog.dir();
        this.topicPartition = partitionLog.topicPartition();
        this.time = time;
        this.flushLock = flushLock;
        this.segments = segments;
        this.retired = retired;
        this.producers = producers;
        this.epochs = epochs;
        this.flushTracker = flushTracker;
        this.cleanerCheckpoint = cleanerCheckpoint;
        this.highWatermarkCheckpoint = highWatermarkCheckpoint;
    }

    /** Under the append lock: writes validated producer batches, stamping offsets and epochs. */
    AppendResult appendAsLeader(ByteBuffer buffer, ValidatedBatches validated, int leaderEpoch, AppendOrigin origin,
                                VerificationGuard guard, LogConfig cfg, long now) throws IOException {
        AppendPlan plan = AppendPlan.of(buffer, validated, producers.table(), topicPartition, origin,
                verifications.check(producers.table(), guard, topicPartition));
        if (plan.allDuplicates()) {
            log.debug("Ignored a retried batch to {}: already stored at offsets {} to {}", topicPartition,
                    plan.firstDuplicate().firstOffset(), plan.lastDuplicate().lastOffset());
            return new AppendResult(plan.firstDuplicate().firstOffset(), plan.lastDuplicate().lastOffset(), -1,
                    offsets.logStart(), 0, true);
        }
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        long firstOffset = offsets.logEnd();
        long lastOffset = firstOffset + plan.offsets() - 1;
        LogSegment active = maybeRoll(cfg, plan.bytes(), lastOffset, logAppendTime ? now : plan.maxTimestamp(),
                firstOffset, now);
        BatchStamper.stamp(buffer, validated, plan.duplicates(), firstOffset, leaderEpoch, cfg.timestampType(), now);
        ByteBuffer toWrite = plan.batchesToWrite(buffer, validated);
        epochs.onAppend(toWrite);
        active.append(toWrite);
        replayAll(toWrite, active);
        publishAppend(lastOffset + 1, now);
        return new AppendResult(firstOffset, lastOffset, logAppendTime ? now : -1, offsets.logStart(),
                plan.records(), false);
    }

    /** Under the append lock: validates and writes batches that already carry offsets. */
    AppendResult appendAsFollower(ByteBuffer buffer) throws IOException {
        ValidatedBatches validated = AppendValidator.validateFromLeader(buffer, offsets.logEnd(),
                topicPartition);
        if (validated.count() == 0) {
            return new AppendResult(-1, -1, -1, offsets.logStart(), 0, false);
        }
        long now = time.milliseconds();
        RecordBatchHeader header = new RecordBatchHeader();
        long firstOffset = header.wrap(buffer, validated.position(0)).baseOffset();
        long lastOffset = header.wrap(buffer, validated.position(validated.count() - 1)).lastOffset();
        LogSegment active = maybeRoll(partitionLog.config(), buffer.remaining(), lastOffset,
                validated.largestTimestamp(), firstOffset, now);
        epochs.onAppend(buffer);
        active.append(buffer);
        replayAll(buffer, active);
        publishAppend(lastOffset + 1, now);
        return new AppendResult(firstOffset, lastOffset, -1, offsets.logStart(), validated.totalRecords(),
                false);
    }

    /**
     * Under the append lock: writes a COMMIT or ABORT marker of {@code producerId} (a control
     * batch built by {@link KafkaRecords#transactionMarkerBatch}) at the log end, after checking
     * it against the producer state ({@link ProducerStateTable#checkMarker}). Markers carry no
     * sequence numbers.
     */
    AppendResult appendMarker(long producerId, short producerEpoch, TransactionMarker marker, int leaderEpoch,
                              LogConfig cfg, long now) throws IOException {
        producers.table().checkMarker(producerId, producerEpoch, marker.coordinatorEpoch(), topicPartition);
        ByteBuffer batch = KafkaRecords.transactionMarkerBatch(producerId, producerEpoch, marker, now);
        ValidatedBatches validated = new ValidatedBatches(1);
        validated.add(0, now, 1, 1);
        long offset = offsets.logEnd();
        LogSegment active = maybeRoll(cfg, batch.remaining(), offset, now, offset, now);
        BatchStamper.stamp(batch, validated, null, offset, leaderEpoch, cfg.timestampType(), now);
        epochs.onAppend(batch);
        active.append(batch);
        replayAll(batch, active);
        publishAppend(offset + 1, now);
        return new AppendResult(offset, offset, cfg.timestampType() == TimestampType.LOG_APPEND_TIME ? now : -1,
                offsets.logStart(), 1, false);
    }

    private void replayAll(ByteBuffer written, LogSegment segment) throws IOException {
        for (int p = written.position(); p < written.limit(); p += replayHeader.sizeInBytes()) {
            producers.replay(replayHeader.wrap(written, p), segment);
            // A data batch began the transaction, a marker ended it: either way its verification is over.
            if (replayHeader.isTransactional()) {
                verifications.end(replayHeader);
            }
        }
    }

    /** The verifications in progress on this partition ({@link VerificationGuard}). */
    TransactionVerifications verifications() {
        return verifications;
    }

    private void publishAppend(long newLogEndOffset, long nowMs) {
        offsets.setLogEnd(newLogEndOffset);
        offsets.refreshStability();
        flushTracker.onAppend(nowMs);
    }

    /** Under the append lock: the segment to append to, rolling first if the append needs it. */
    private LogSegment maybeRoll(LogConfig cfg, int bytes, long lastOffset, long maxTimestamp, long newBaseOffset,
                                 long nowMs) throws IOException {
        LogSegment active = segments.active();
        if (active.shouldRoll(cfg, cfg.rollMs(), bytes, newBaseOffset, lastOffset, maxTimestamp, nowMs)) {
            return roll(newBaseOffset, nowMs);
        }
        return active;
    }

    /**
     * Under the append lock: seals the active segment and starts a new one at {@code baseOffset}.
     * An empty active segment is replaced instead (a follower jumping ahead).
     */
    LogSegment roll(long baseOffset, long nowMs) throws IOException {
        LogSegment previous = segments.active();
        if (!previous.isEmpty()) {
            sealUnderFlushLock(previous);
        }
        long logEndOffset = offsets.logEnd();
        producers.takeSnapshot(logEndOffset);
        LogSegment next = LogSegment.create(dir, baseOffset, partitionLog.config(), nowMs);
        segments.add(next);
        if (previous.isEmpty()) {
            segments.remove(previous);
            previous.deleteFiles();
        }
        flushTracker.onFlushed(logEndOffset, logEndOffset, nowMs);
        log.debug("Rolled {} to a new segment at offset {}; the previous one holds {} bytes from offset {}",
                topicPartition, baseOffset, previous.size(), previous.baseOffset());
        return next;
    }

    /** Seals a segment while no flush is writing it out (its index files shrink). */
    void sealUnderFlushLock(LogSegment segment) throws IOException {
        synchronized (flushLock) {
            segment.seal();
        }
    }

    /**
     * Under the append lock: deletes the oldest segments {@link RetentionPolicy} picks, with
     * (retention) or without (DeleteRecords: start offset only) their timestamps.
     */
    int deleteSegments(boolean byRetention, boolean quiet) throws IOException {
        List<RetentionPolicy.SegmentInfo> infos = RetentionPolicy.describe(segments.snapshot(),
                offsets.logEnd(), byRetention);
        long logStartOffset = offsets.logStart();
        RetentionPolicy.Decision decision = byRetention
                ? RetentionPolicy.decide(infos, partitionLog.config(), time.milliseconds(), logStartOffset)
                : RetentionPolicy.belowLogStart(infos, logStartOffset);
        int count = decision.count();
        if (count == 0) {
            return 0;
        }
        List<LogSegment> doomed = new ArrayList<>(segments.snapshot().subList(0, count));
        if (count == segments.size()) {
            roll(offsets.logEnd(), time.milliseconds());
        }
        long newStart = segments.higher(doomed.get(count - 1).baseOffset()).baseOffset();
        if (newStart > offsets.logStart()) {
            advanceLogStartOffset(newStart);
        }
        for (LogSegment segment : doomed) {
            segments.remove(segment);
        }
        retired.retire(doomed, time.milliseconds() + partitionLog.config().fileDeleteDelayMs(), newStart,
                decision.reason(), offsets.logStart(), quiet);
        return count;
    }

    /** Under the append lock: persists and publishes a higher log start offset. */
    void advanceLogStartOffset(long offset) throws IOException {
        LogStartOffsetCheckpoint.write(dir, offset);
        epochs.truncateFromStart(offset);
        offsets.setLogStart(offset);
        if (offsets.highWatermark() < offset) {
            offsets.setHighWatermark(offset);
        }
    }

    /** Under the append lock: the body of {@link PartitionLog#truncateTo}. */
    void truncateTo(long offset) throws IOException {
        long before = offsets.logEnd();
        if (offset >= before) {
            // No record goes, but an epoch this node assigned as leader without appending
            // anything (an entry at the log end) must: the new leader's log does not have it,
            // and a follower quoting it as its last fetched epoch would diverge forever.
            epochs.truncateFromEnd(before);
            return;
        }
        LogTruncation.Result result = LogTruncation.truncate(dir, segments, partitionLog.config(), time.milliseconds(),
                offset, offsets.logStart(), before, retired);
        afterTruncation(result);
        long after = offsets.logEnd();
        log.info("Truncated {} to offset {}: removed offsets {} to {} ({} bytes)", topicPartition, after, after,
                before - 1, result.bytesRemoved());
    }

    /** Under the append lock: the body of {@link PartitionLog#truncateFullyAndStartAt}. */
    void truncateFullyAndStartAt(long offset) throws IOException {
        long beforeStart = offsets.logStart();
        long beforeEnd = offsets.logEnd();
        LogTruncation.Result result = LogTruncation.truncateFully(dir, segments, partitionLog.config(),
                time.milliseconds(), offset, beforeEnd, retired);
        afterTruncation(result);
        log.info("Truncated {} fully: removed offsets {} to {} ({} bytes); the log restarts at offset {}",
                topicPartition, beforeStart, beforeEnd - 1, result.bytesRemoved(), offset);
    }

    /** Under the append lock: publishes a truncation's new bounds and brings the side state along. */
    private void afterTruncation(LogTruncation.Result result) throws IOException {
        if (result.emptied()) {
            producers.clear();
            epochs.clear();
        }
        epochs.truncateFromEnd(result.newLogEndOffset());
        if (result.newLogStartOffset() != offsets.logStart()) {
            LogStartOffsetCheckpoint.write(dir, result.newLogStartOffset());
            epochs.truncateFromStart(result.newLogStartOffset());
            offsets.setLogStart(result.newLogStartOffset());
        }
        offsets.setLogEnd(result.newLogEndOffset());
        long logEndOffset = result.newLogEndOffset();
        offsets.setHighWatermark(Math.max(offsets.logStart(),
                Math.min(offsets.highWatermark(), logEndOffset)));
        highWatermarkCheckpoint.writeIfLowered(offsets::highWatermark);
        if (result.emptied()) {
            flushTracker.onFlushed(logEndOffset, logEndOffset, time.milliseconds());
        } else {
            flushTracker.onTruncated(logEndOffset);
        }
        offsets.countTruncation();
        cleanerCheckpoint.lowerTo(logEndOffset);
        producers.load(segments, logEndOffset);
        offsets.refreshStability();
    }
}

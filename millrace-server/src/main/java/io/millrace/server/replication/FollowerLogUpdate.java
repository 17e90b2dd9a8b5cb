package io.millrace.server.replication;

import io.millrace.storage.EpochEndOffset;
import io.millrace.storage.PartitionLog;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one partition of a leader's fetch response to the follower's log: appends the batches,
 * follows the leader's high watermark and log start offset, truncates a divergent suffix
 * ({@link DivergenceTruncation}) or jumps to the leader's log start when it fell behind it.
 *
 * <p>Stateless; called by the fetcher thread that owns the log while it follows.
 */
final class FollowerLogUpdate {
    private static final Logger log = LoggerFactory.getLogger(FollowerLogUpdate.class);

    /** What the fetcher does next for the partition. */
    enum Result {
        /** Fetch again at once (data appended, truncated, or nothing new). */
        CONTINUE,
        /** The leader refused the partition: wait replica.fetch.backoff.ms before asking again. */
        BACK_OFF
    }

    private FollowerLogUpdate() {
    }

    static Result apply(PartitionLog partitionLog, FetchPosition sent, PartitionData data, int leaderId) {
        TopicPartition tp = sent.topicPartition();
        if (partitionLog.logEndOffset() != sent.fetchOffset()) {
            // The log moved since the request was built: this answer is stale, ask again.
            return Result.CONTINUE;
        }
        Errors error = Errors.forCode(data.errorCode());
        if (error == Errors.NONE) {
            if (data.divergingEpoch() != null && data.divergingEpoch().epoch() >= 0
                    && data.divergingEpoch().endOffset() >= 0) {
                truncateDivergent(partitionLog, tp, new EpochEndOffset(data.divergingEpoch().epoch(),
                        data.divergingEpoch().endOffset()), leaderId);
                return Result.CONTINUE;
            }
            ByteBuffer batches = wholeBatches(KafkaRecords.bufferOf(data.records()));
            if (batches.hasRemaining()) {
                partitionLog.appendAsFollower(batches);
            }
            followLeaderOffsets(partitionLog, data);
            return Result.CONTINUE;
        }
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
            return outOfRange(partitionLog, sent, data, leaderId);
        }
        return Result.BACK_OFF;
    }

    private static void truncateDivergent(PartitionLog partitionLog, TopicPartition tp, EpochEndOffset leader,
                                          int leaderId) {
        long logEnd = partitionLog.logEndOffset();
        DivergenceTruncation.Truncation truncation = DivergenceTruncation.of(leader,
                partitionLog.endOffsetForEpoch(leader.epoch()), logEnd);
        if (truncation.offset() < logEnd) {
            log.info("Truncating {} from offset {} to {}: it diverged from leader {} at epoch {}", tp, logEnd,
                    truncation.offset(), leaderId, leader.epoch());
        }
        // Also at the log end: it drops an epoch this node assigned as leader but never wrote in,
        // which would otherwise be quoted as the last fetched epoch and diverge again.
        partitionLog.truncateTo(truncation.offset());
    }

    /** The follower's high watermark is the leader's, within what it holds; its start follows the leader's. */
    private static void followLeaderOffsets(PartitionLog partitionLog, PartitionData data) {
        if (data.highWatermark() >= 0) {
            partitionLog.updateHighWatermark(Math.min(data.highWatermark(), partitionLog.logEndOffset()));
        }
        long leaderStart = Math.min(data.logStartOffset(), partitionLog.highWatermark());
        if (leaderStart > partitionLog.logStartOffset()) {
            partitionLog.deleteRecordsBefore(leaderStart);
        }
    }

    /**
     * OFFSET_OUT_OF_RANGE: the follower is either below the leader's log start (retention or
     * DeleteRecords removed what it needs: start over at the leader's start) or above the
     * leader's log end (its suffix never made it to the leader: keep only what the leader
     * committed, up to its high watermark).
     */
    private static Result outOfRange(PartitionLog partitionLog, FetchPosition sent, PartitionData data, int leaderId) {
        TopicPartition tp = sent.topicPartition();
        if (data.logStartOffset() > sent.fetchOffset()) {
            log.info("Restarting {} at offset {}: the leader {} no longer holds offsets {} to {}", tp,
                    data.logStartOffset(), leaderId, sent.fetchOffset(), data.logStartOffset() - 1);
            partitionLog.truncateFullyAndStartAt(data.logStartOffset());
            return Result.CONTINUE;
        }
        if (data.highWatermark() >= 0 && data.highWatermark() < sent.fetchOffset()) {
            log.warn("Truncating {} from offset {} to {}: it is ahead of leader {}, whose high watermark is {}", tp,
                    sent.fetchOffset(), data.highWatermark(), leaderId, data.highWatermark());
            partitionLog.truncateTo(Math.max(data.highWatermark(), partitionLog.logStartOffset()));
            return Result.CONTINUE;
        }
        return Result.BACK_OFF;
    }

    /** The whole batches at the start of {@code records}: a response may end with part of a batch. */
    static ByteBuffer wholeBatches(ByteBuffer records) {
        int position = records.position();
        int end = position;
        while (end + RecordBatchHeader.LOG_OVERHEAD <= records.limit()) {
            int size = RecordBatchHeader.LOG_OVERHEAD + records.getInt(end + RecordBatchHeader.BATCH_LENGTH_OFFSET);
            if (size <= RecordBatchHeader.LOG_OVERHEAD || end + size > records.limit()) {
                break;
            }
            end += size;
        }
        ByteBuffer whole = records.duplicate();
        whole.position(position).limit(end);
        return whole;
    }
}

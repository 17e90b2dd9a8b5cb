package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import io.millrace.wire.batch.RecordVisitor;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * Checks each record of a producer's batch as {@link io.millrace.wire.batch.KafkaRecords#forEachRecord}
 * walks it, and finds the batch's max timestamp. An offset delta that is not the record's index
 * rejects the whole batch at once. A record without a key on a compacted log, or (CreateTime)
 * with a timestamp other than -1 more than message.timestamp.before.max.ms before or
 * after.max.ms after now, is noted by index and the walk goes on, so that {@link #endBatch} names
 * every offending record (KIP-467), one error a record, the key first, as Kafka does. So is each
 * record of a batch marked LogAppendTime whose timestamp is not checked that way (a LogAppendTime
 * topic, or a timestamp of -1): producers may not set that type. Nothing is allocated until a
 * record is bad.
 *
 * <p>Not thread-safe: one instance per append, reused per batch.
 */
final class RecordChecker implements RecordVisitor {
    private final TopicPartition partition;
    private final boolean checkTimestamps;
    private final long nowMs;
    private final long beforeMaxMs;
    private final long afterMaxMs;
    private final boolean requireKeys;
    private long baseOffset;
    private boolean logAppendTimeBatch;
    private boolean compressedBatch;
    private long maxTimestamp;
    private RecordErrors errors;

    RecordChecker(TopicPartition partition, boolean checkTimestamps, long nowMs, long beforeMaxMs, long afterMaxMs,
                  boolean requireKeys) {
        this.partition = partition;
        this.checkTimestamps = checkTimestamps;
        this.nowMs = nowMs;
        this.beforeMaxMs = beforeMaxMs;
        this.afterMaxMs = afterMaxMs;
        this.requireKeys = requireKeys;
    }

    void startBatch(RecordBatchHeader header) {
        baseOffset = header.baseOffset();
        logAppendTimeBatch = header.timestampType() == TimestampType.LOG_APPEND_TIME;
        compressedBatch = header.isCompressed();
        maxTimestamp = RecordBatchHeader.NO_TIMESTAMP;
        errors = null;
    }

    /**
     * @return the largest record timestamp of the batch just walked
     * @throws RejectedRecordsException when records of it were bad
     */
    long endBatch() {
        if (errors != null) {
            throw errors.toException();
        }
        return maxTimestamp;
    }

    @Override
    public boolean visit(int index, long offset, long timestamp, int keySize, int valueSize) {
        if (offset - baseOffset != index) {
            throw new InvalidRecordException("Record " + index + " of a batch for " + partition
                    + " has offset delta " + (offset - baseOffset) + "; deltas must run 0..n-1");
        }
        if (requireKeys && keySize < 0) {
            errors().keyless(index, partition);
        } else if (checkTimestamps && timestamp != RecordBatchHeader.NO_TIMESTAMP) {
            if (outOfRange(timestamp)) {
                errors().timestampOutOfRange(index, timestamp, offset, nowMs - beforeMaxMs, nowMs + afterMaxMs);
            }
        } else if (logAppendTimeBatch) {
            errors().logAppendTimeFromProducer(index, compressedBatch, offset, timestamp, keySize, valueSize);
        }
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return true;
    }

    /** Kafka's test, overflow included, so that the same records pass and fail. */
    private boolean outOfRange(long timestamp) {
        long behind = nowMs - timestamp;
        return behind > beforeMaxMs || -behind > afterMaxMs;
    }

    private RecordErrors errors() {
        if (errors == null) {
            errors = new RecordErrors();
        }
        return errors;
    }
}

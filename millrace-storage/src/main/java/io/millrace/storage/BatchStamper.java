package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.record.TimestampType;

/**
 * Turns validated producer batches into log batches in place: assigns offsets by rewriting each
 * header's baseOffset, stamps the partition leader epoch, and sets the timestamp type and
 * maxTimestamp (now, for LogAppendTime topics; the largest record timestamp otherwise). Records
 * are never decompressed or rewritten; the CRC is recomputed only when a field it covers changed
 * (baseOffset and leader epoch lie outside it).
 *
 * <p>Stateless and thread-safe.
 */
final class BatchStamper {

    private BatchStamper() {
    }

    /**
     * Stamps every batch not marked in {@code skip} (which may be null) and returns the offset
     * after the last one.
     */
    static long stamp(ByteBuffer buffer, ValidatedBatches batches, boolean[] skip, long firstOffset, int leaderEpoch,
                      TimestampType timestampType, long nowMs) {
        RecordBatchHeader header = new RecordBatchHeader();
        boolean logAppendTime = timestampType == TimestampType.LOG_APPEND_TIME;
        long next = firstOffset;
        for (int i = 0; i < batches.count(); i++) {
            if (skip != null && skip[i]) {
                continue;
            }
            header.wrap(buffer, batches.position(i));
            header.setBaseOffset(next);
            header.setPartitionLeaderEpoch(leaderEpoch);
            short attributes = header.attributes();
            short wantedAttributes = (short) (logAppendTime
                    ? attributes | RecordBatchHeader.TIMESTAMP_TYPE_MASK
                    : attributes & ~RecordBatchHeader.TIMESTAMP_TYPE_MASK);
            long wantedMaxTimestamp = logAppendTime ? nowMs : batches.maxTimestamp(i);
            if (wantedAttributes != attributes || wantedMaxTimestamp != header.maxTimestamp()) {
                header.setAttributes(wantedAttributes);
                header.setMaxTimestamp(wantedMaxTimestamp);
                header.updateCrc();
            }
            next += batches.offsetCount(i);
        }
        return next;
    }
}

package io.millrace.storage;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.record.TimestampType;

/**
 * Answers ListOffsets by timestamp over a log's segments: the first record at or after a
 * timestamp (time index to the starting batch, offset index to its position, a scan of batch
 * headers to the first batch reaching the timestamp, then its records for the exact one), and
 * the record with the largest timestamp.
 *
 * <p>Stateless and thread-safe; safe against concurrent appends like reads are (it never looks
 * past a segment's size read at the start of its scan).
 */
final class TimestampSearch {

    private TimestampSearch() {
    }

    /**
     * The first record at or after {@code timestamp} with an offset in
     * [{@code startOffset}, {@code endOffset}).
     */
    static Optional<OffsetAndTimestamp> firstAtOrAfter(SegmentList segments, long timestamp, long startOffset,
                                                       long endOffset) throws IOException {
        for (LogSegment segment : segments.from(startOffset)) {
            if (segment.baseOffset() >= endOffset) {
                break;
            }
            if (segment.largestTimestamp().timestamp() < timestamp) {
                continue;
            }
            long from = Math.max(segment.timeIndex().lookupOffset(timestamp), startOffset);
            FileBatchCursor cursor = segment.cursorFrom(from);
            while (cursor.next() == FileBatchCursor.Step.BATCH) {
                RecordBatchHeader header = cursor.header();
                if (header.baseOffset() >= endOffset) {
                    return Optional.empty();
                }
                if (header.lastOffset() < startOffset || header.maxTimestamp() < timestamp) {
                    continue;
                }
                Optional<OffsetAndTimestamp> found = findInBatch(cursor, timestamp, startOffset, endOffset, false);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The record with the largest timestamp (the earliest on ties) at or above {@code startOffset}. */
    static Optional<OffsetAndTimestamp> largest(SegmentList segments, long startOffset) throws IOException {
        LogSegment best = null;
        LogSegment.TimestampAndOffset bestTimestamp = null;
        for (LogSegment segment : segments.from(startOffset)) {
            LogSegment.TimestampAndOffset candidate = segment.largestTimestamp();
            if (candidate.timestamp() >= 0 && (bestTimestamp == null || candidate.timestamp() > bestTimestamp.timestamp())) {
                best = segment;
                bestTimestamp = candidate;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        FileBatchCursor cursor = best.cursorFrom(bestTimestamp.offset());
        while (cursor.next() == FileBatchCursor.Step.BATCH) {
            RecordBatchHeader header = cursor.header();
            if (header.lastOffset() < bestTimestamp.offset() || header.maxTimestamp() < bestTimestamp.timestamp()) {
                continue;
            }
            return findInBatch(cursor, bestTimestamp.timestamp(), startOffset, Long.MAX_VALUE, true);
        }
        return Optional.empty();
    }

    /** The first record of the cursor's batch at (or, when {@code exact}, equal to) {@code timestamp}. */
    private static Optional<OffsetAndTimestamp> findInBatch(FileBatchCursor cursor, long timestamp, long startOffset,
                                                            long endOffset, boolean exact) throws IOException {
        RecordBatchHeader header = cursor.loadWholeBatch();
        int leaderEpoch = header.partitionLeaderEpoch();
        if (header.timestampType() == TimestampType.LOG_APPEND_TIME) {
            long offset = Math.max(header.baseOffset(), startOffset);
            return offset < endOffset ? Optional.of(new OffsetAndTimestamp(offset, header.maxTimestamp(), leaderEpoch))
                    : Optional.empty();
        }
        long[] found = {-1, -1};
        KafkaRecords.forEachRecord(header.buffer(), header.position(), (index, offset, recordTimestamp, k, v) -> {
            if (offset >= endOffset) {
                return false;
            }
            boolean match = exact ? recordTimestamp == timestamp : recordTimestamp >= timestamp;
            if (offset >= startOffset && match) {
                found[0] = offset;
                found[1] = recordTimestamp;
                return false;
            }
            return true;
        });
        return found[0] < 0 ? Optional.empty() : Optional.of(new OffsetAndTimestamp(found[0], found[1], leaderEpoch));
    }
}

package io.millrace.storage;

import io.millrace.wire.batch.FileRegion;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;

/**
 * The read side of a {@link PartitionLog}: fetch reads and timestamp searches. Takes no lock.
 * Each attempt reads the log's volatile bounds first, then the segments; a segment deleted (or
 * the log closed) during an attempt shows up as a closed channel or a missing segment, and the
 * attempt starts over with fresh bounds, which then usually put the offset below the new log
 * start.
 *
 * <p>Thread-safe.
 */
final class LogReads {
    private static final int ATTEMPTS = 5;

    private final PartitionLog log;
    private final SegmentList segments;

    LogReads(PartitionLog log, SegmentList segments) {
        this.log = log;
        this.segments = segments;
    }

    ReadResult read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        return read(offset, maxOffsetExclusive, new SegmentRead<>() {
            @Override
            public ReadResult found(LogSegment segment, long hw, long start, long end) throws IOException {
                ByteBuffer records = segment.read(offset, maxBytes, maxOffsetExclusive, minOneBatch);
                return records == null ? null : new ReadResult(records, hw, start, end);
            }

            @Override
            public ReadResult nothing(long hw, long start, long end) {
                return new ReadResult(ByteBuffer.allocate(0), hw, start, end);
            }
        });
    }

    FileReadResult readFileRegion(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        return read(offset, maxOffsetExclusive, new SegmentRead<>() {
            @Override
            public FileReadResult found(LogSegment segment, long hw, long start, long end) throws IOException {
                FileRegion region = segment.readRegion(offset, maxBytes, maxOffsetExclusive, minOneBatch);
                return region == null ? null : new FileReadResult(region, hw, start, end);
            }

            @Override
            public FileReadResult nothing(long hw, long start, long end) {
                return new FileReadResult(null, hw, start, end);
            }
        });
    }

    /** How one kind of read takes its batches from a segment. */
    private interface SegmentRead<T> {
        /** The batches from the segment, or null when none there reaches the offset. */
        T found(LogSegment segment, long highWatermark, long logStart, long logEnd) throws IOException;

        T nothing(long highWatermark, long logStart, long logEnd);
    }

    private <T> T read(long offset, long maxOffsetExclusive, SegmentRead<T> segmentRead) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            long highWatermark = log.highWatermark();
            if (offset < start || offset > end) {
                throw new OffsetOutOfRangeException("Offset " + offset + " is outside the range [" + start + ", "
                        + end + "] of " + log.topicPartition());
            }
            if (offset == end || offset >= maxOffsetExclusive) {
                return segmentRead.nothing(highWatermark, start, end);
            }
            try {
                LogSegment first = segments.floor(offset);
                if (first == null && offset >= log.logStartOffset()) {
                    first = segments.first(); // offset in a gap before the first segment (a follower's log)
                }
                for (LogSegment segment = first; segment != null; segment = segments.higher(segment.baseOffset())) {
                    T found = segmentRead.found(segment, highWatermark, start, end);
                    if (found != null) {
                        return found;
                    }
                }
                if (first != null) {
                    return segmentRead.nothing(highWatermark, start, end);
                }
            } catch (ClosedChannelException | EOFException e) {
                // A segment was deleted, or truncated by a follower, while we read it: retry below.
            } catch (IOException e) {
                throw log.storageError("read from", e);
            }
            if (attempt == ATTEMPTS) {
                throw new KafkaStorageException("Could not read " + log.topicPartition() + " at offset " + offset
                        + ": its segments kept changing underneath the read");
            }
        }
    }

    /** See {@link PartitionLog#abortedTransactions}: from the segment holding fetchOffset on, until complete. */
    List<AbortedTransaction> abortedTransactions(long fetchOffset, long upperBoundOffset) {
        List<AbortedTransaction> found = new ArrayList<>();
        LogSegment segment = segments.floor(fetchOffset);
        if (segment == null) {
            segment = segments.first();
        }
        for (; segment != null; segment = segments.higher(segment.baseOffset())) {
            if (segment.txnIndex().collect(fetchOffset, upperBoundOffset, found)) {
                break;
            }
        }
        return found;
    }

    /** See {@link PartitionLog#offsetForTimestamp}: only offsets below the high watermark count. */
    Optional<OffsetAndTimestamp> offsetForTimestamp(long timestamp) {
        return withRetries(() -> TimestampSearch.firstAtOrAfter(segments, timestamp, log.logStartOffset(),
                log.highWatermark()));
    }

    Optional<OffsetAndTimestamp> maxTimestamp() {
        return withRetries(() -> TimestampSearch.largest(segments, log.logStartOffset()));
    }

    private interface Search {
        Optional<OffsetAndTimestamp> run() throws IOException;
    }

    private Optional<OffsetAndTimestamp> withRetries(Search search) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try {
                return search.run();
            } catch (ClosedChannelException | EOFException e) {
                if (attempt == ATTEMPTS) {
                    throw log.storageError("search", e);
                }
            } catch (IOException e) {
                throw log.storageError("search", e);
            }
        }
    }

    private void ensureOpen() {
        if (log.isClosed()) {
            throw new KafkaStorageException("The log of " + log.topicPartition() + " is closed");
        }
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the end of a log for a follower whose leader has less: segments wholly at or after
 * the target offset leave the log, the one holding it is cut at the first batch reaching it and
 * its indexes rebuilt. A target below the log start empties the log and restarts it there, as
 * {@link #truncateFully} does.
 *
 * <p>Segments that leave whole are retired ({@link RetiredSegments}: renamed {@code *.deleted},
 * closed {@code file.delete.delay.ms} later), so a fetch response being sent from one completes
 * with the bytes it was read with. The segment that is cut shrinks in place: a region of it read
 * before the cut and reaching past it fails its send ({@code FileRegion.transferTo} throws
 * EOFException once it reaches the new end of the file) and the connection closes; the client
 * fetches again. Such a region can only exist for records above the high watermark, which
 * fetches do not read, unless the truncation goes below the high watermark (an unclean election).
 *
 * <p>Stateless; the caller holds the log's append lock.
 */
final class LogTruncation {

    /** The log's new bounds, how many bytes went, and whether every segment went (the log restarted). */
    record Result(long newLogStartOffset, long newLogEndOffset, long bytesRemoved, boolean emptied) {
    }

    private LogTruncation() {
    }

    static Result truncate(Path dir, SegmentList segments, LogConfig config, long nowMs, long offset,
                           long logStartOffset, long logEndOffset, RetiredSegments retired) throws IOException {
        List<LogSegment> all = segments.snapshot();
        if (offset < logStartOffset || offset < all.get(0).baseOffset()) {
            return truncateFully(dir, segments, config, nowMs, offset, logEndOffset, retired);
        }
        List<LogSegment> doomed = new ArrayList<>();
        long bytes = 0;
        for (int i = all.size() - 1; i > 0 && all.get(i).baseOffset() > offset; i--) {
            LogSegment segment = all.get(i);
            bytes += segment.size();
            segments.remove(segment);
            doomed.addFirst(segment);
        }
        if (!doomed.isEmpty()) {
            retire(retired, doomed, config, nowMs, logEndOffset, logStartOffset);
        }
        LogSegment active = segments.active();
        bytes += active.truncateTo(offset);
        active.resizeIndexes(config.segmentIndexBytes());
        long newEnd = SegmentRecovery.recover(active, false).nextOffset();
        return new Result(Math.min(logStartOffset, newEnd), newEnd, bytes, false);
    }

    /** Every segment leaves the log, and an empty one starts at {@code offset}. */
    static Result truncateFully(Path dir, SegmentList segments, LogConfig config, long nowMs, long offset,
                                long logEndOffset, RetiredSegments retired) throws IOException {
        List<LogSegment> all = segments.snapshot();
        long bytes = 0;
        for (LogSegment segment : all) {
            bytes += segment.size();
            segments.remove(segment);
        }
        retire(retired, all, config, nowMs, logEndOffset, offset);
        segments.add(LogSegment.create(dir, offset, config, nowMs));
        return new Result(offset, offset, bytes, true);
    }

    private static void retire(RetiredSegments retired, List<LogSegment> doomed, LogConfig config, long nowMs,
                               long logEndOffset, long newLogStartOffset) throws IOException {
        retired.retire(doomed, nowMs + config.fileDeleteDelayMs(), logEndOffset, RetentionPolicy.Reason.TRUNCATION,
                newLogStartOffset, true);
    }
}

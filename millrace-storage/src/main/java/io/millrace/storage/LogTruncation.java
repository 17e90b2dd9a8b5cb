package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes the end of a log for a follower whose leader has less: segments wholly at or after
 * the target offset are deleted, the one holding it is cut at the first batch reaching it and
 * its indexes rebuilt. A target below the log start empties the log and restarts it there.
 *
 * <p>Stateless; the caller holds the log's append lock.
 */
final class LogTruncation {

    /** The log's new bounds and how many bytes went. */
    record Result(long newLogStartOffset, long newLogEndOffset, long bytesRemoved) {
    }

    private LogTruncation() {
    }

    static Result truncate(Path dir, SegmentList segments, LogConfig config, long nowMs, long offset,
                           long logStartOffset) throws IOException {
        List<LogSegment> all = segments.snapshot();
        long bytes = 0;
        if (offset < logStartOffset || offset < all.get(0).baseOffset()) {
            for (LogSegment segment : all) {
                bytes += segment.size();
                segments.remove(segment);
                segment.deleteFiles();
            }
            segments.add(LogSegment.create(dir, offset, config, nowMs));
            return new Result(offset, offset, bytes);
        }
        for (int i = all.size() - 1; i > 0 && all.get(i).baseOffset() > offset; i--) {
            LogSegment segment = all.get(i);
            bytes += segment.size();
            segments.remove(segment);
            segment.deleteFiles();
        }
        LogSegment active = segments.active();
        bytes += active.truncateTo(offset);
        active.resizeIndexes(config.segmentIndexBytes());
        long newEnd = SegmentRecovery.recover(active, false).nextOffset();
        return new Result(Math.min(logStartOffset, newEnd), newEnd, bytes);
    }
}

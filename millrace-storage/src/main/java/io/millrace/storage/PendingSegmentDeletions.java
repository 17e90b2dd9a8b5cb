package io.millrace.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments the cleaner replaced, waiting file.delete.delay.ms before their channels close and
 * their files (already renamed {@code *.deleted}) go: a read that picked such a segment before
 * the swap finishes reading it, and one that is still going when it closes retries on the new
 * segments. Leftover {@code *.deleted} files of a crash are removed when the log loads.
 *
 * The same holds for segments retention or DeleteRecords removed (each {@link PartitionLog}
 * keeps a queue of its own), so a fetch response being sent from a segment's file completes.
 *
 * <p>Thread-safe: scheduled under a log's append lock, run by the cleaner threads between
 * cleanings and by {@link LogCleaner#shutdown}; a log's own queue by "log-retention" and when
 * the log closes.
 */
final class PendingSegmentDeletions {
    private static final Logger log = LoggerFactory.getLogger(PendingSegmentDeletions.class);

    private record Pending(long dueMs, LogSegment segment) {
    }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> Long.compare(a.dueMs, b.dueMs));

    synchronized void schedule(List<LogSegment> segments, long dueMs) {
        for (LogSegment segment : segments) {
            queue.add(new Pending(dueMs, segment));
        }
    }

    /** When the next deletion is due, or Long.MAX_VALUE when none is pending. */
    synchronized long nextDueMs() {
        Pending first = queue.peek();
        return first == null ? Long.MAX_VALUE : first.dueMs;
    }

    synchronized int size() {
        return queue.size();
    }

    /** Deletes the segments due by {@code nowMs}. */
    void runDue(long nowMs) {
        List<LogSegment> due = new ArrayList<>();
        synchronized (this) {
            while (!queue.isEmpty() && queue.peek().dueMs <= nowMs) {
                due.add(queue.poll().segment);
            }
        }
        delete(due);
    }

    /** Deletes every pending segment now (shutdown). */
    void runAll() {
        runDue(Long.MAX_VALUE);
    }

    private static void delete(List<LogSegment> segments) {
        for (LogSegment segment : segments) {
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                log.warn("Could not delete the replaced segment {} (it goes at the next start): {}",
                        segment.logFile(), e.toString());
            }
        }
    }
}

package io.millrace.storage;

import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments retention or DeleteRecords removed from one log. They are renamed {@code *.deleted}
 * at once, then closed and deleted {@code file.delete.delay.ms} later, so a fetch response being
 * sent from one of them (a file region) still has its channel.
 *
 * <p>Thread-safety: {@link #retire} runs under the log's append lock; the deletion queue is
 * thread-safe ({@link PendingSegmentDeletions}).
 */
final class RetiredSegments {
    private static final Logger log = LoggerFactory.getLogger(RetiredSegments.class);
    private static final String MESSAGE = "Deleted {} segment(s) of {} holding offsets {} to {} ({} bytes): {}; "
            + "the log now starts at offset {}";

    private final TopicPartition topicPartition;
    private final PendingSegmentDeletions pending = new PendingSegmentDeletions();

    RetiredSegments(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    /**
     * Takes {@code doomed} (already out of the log's segment list) for deletion at {@code dueMs}
     * and logs it once: at info for retention, at debug when {@code quiet}.
     */
    void retire(List<LogSegment> doomed, long dueMs, long nextOffset, RetentionPolicy.Reason reason,
                long logStartOffset, boolean quiet) throws IOException {
        long bytes = 0;
        for (LogSegment segment : doomed) {
            bytes += segment.size();
            segment.renameFiles(SegmentFiles.DELETED_SUFFIX);
        }
        pending.schedule(doomed, dueMs);
        Object[] args = {doomed.size(), topicPartition, doomed.get(0).baseOffset(), nextOffset - 1, bytes,
                reason.description(), logStartOffset};
        if (quiet) {
            log.debug(MESSAGE, args);
        } else {
            log.info(MESSAGE, args);
        }
    }

    /** When the next retired segment is due for deletion, or Long.MAX_VALUE. */
    long nextDueMs() {
        return pending.nextDueMs();
    }

    void deleteDue(long nowMs) {
        pending.runDue(nowMs);
    }

    /** The log is closing or being deleted: closes its live segments and deletes retired ones now. */
    void closeWith(List<LogSegment> live) throws IOException {
        for (LogSegment segment : live) {
            segment.close();
        }
        pending.runAll();
    }
}

package io.millrace.storage;

import io.millrace.wire.batch.RecordBatchHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aborted transactions of a log, by producer, as the log cleaner asks about them: is this
 * transactional batch part of a transaction that aborted? Built from every segment's
 * aborted-transaction index when a cleaning starts; the cleaner only reads below the last
 * stable offset, where every transaction has ended, so a transactional batch not covered here
 * was committed.
 *
 * <p>Immutable once built; not shared between cleanings.
 */
final class AbortedRanges {
    private final Map<Long, List<AbortedTransaction>> byProducer = new HashMap<>();

    static AbortedRanges of(List<LogSegment> segments) {
        AbortedRanges ranges = new AbortedRanges();
        for (LogSegment segment : segments) {
            for (AbortedTransaction aborted : segment.txnIndex().entries()) {
                ranges.byProducer.computeIfAbsent(aborted.producerId(), id -> new ArrayList<>()).add(aborted);
            }
        }
        return ranges;
    }

    /** True when {@code batch} is a transactional data batch of a transaction that aborted. */
    boolean isAborted(RecordBatchHeader batch) {
        if (!batch.isTransactional() || batch.isControl()) {
            return false;
        }
        List<AbortedTransaction> aborted = byProducer.get(batch.producerId());
        if (aborted == null) {
            return false;
        }
        long offset = batch.baseOffset();
        for (AbortedTransaction txn : aborted) {
            if (offset >= txn.firstOffset() && offset < txn.lastOffset()) {
                return true;
            }
        }
        return false;
    }
}

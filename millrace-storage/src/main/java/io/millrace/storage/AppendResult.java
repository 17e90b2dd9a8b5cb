package io.millrace.storage;

/**
 * What an append did.
 *
 * @param firstOffset    offset given to the first record appended (or, for a duplicate, stored before)
 * @param lastOffset     offset of the last record appended
 * @param logAppendTime  the broker time stamped into the batches for LogAppendTime topics, else -1
 * @param logStartOffset the log start offset after the append
 * @param recordCount    records appended (0 for a duplicate)
 * @param duplicate      true when every batch was a retry of one already stored: nothing was written
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
                           int recordCount, boolean duplicate) {
}

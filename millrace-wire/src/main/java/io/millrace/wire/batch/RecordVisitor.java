package io.millrace.wire.batch;

/**
 * Called once per record of a batch, in order, with the record's fields as primitives so that
 * walking a batch creates no object per record.
 */
@FunctionalInterface
public interface RecordVisitor {

    /**
     * @param index     the record's position in the batch, from 0
     * @param offset    the batch's baseOffset plus the record's offset delta
     * @param timestamp the record's timestamp (the batch's maxTimestamp for LogAppendTime batches)
     * @param keySize   the key's length in bytes, -1 for a null key
     * @param valueSize the value's length in bytes, -1 for a null value
     * @return true to go on to the next record, false to stop
     */
    boolean visit(int index, long offset, long timestamp, int keySize, int valueSize);
}

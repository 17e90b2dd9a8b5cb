package io.millrace.storage;

/**
 * Where the batches of one append are in its buffer and what validation learned about them.
 * Built by {@link AppendValidator}; read under the append lock. Not thread-safe.
 */
final class ValidatedBatches {
    private final int[] positions;
    private final long[] maxTimestamps;
    private final int[] offsetCounts;
    private final int[] recordCounts;
    private int count;

    ValidatedBatches(int capacity) {
        positions = new int[capacity];
        maxTimestamps = new long[capacity];
        offsetCounts = new int[capacity];
        recordCounts = new int[capacity];
    }

    void add(int position, long maxTimestamp, int offsetCount, int recordCount) {
        positions[count] = position;
        maxTimestamps[count] = maxTimestamp;
        offsetCounts[count] = offsetCount;
        recordCounts[count] = recordCount;
        count++;
    }

    int count() {
        return count;
    }

    /** Absolute position of batch {@code i} in the append's buffer. */
    int position(int i) {
        return positions[i];
    }

    /** The largest record timestamp of batch {@code i}, as validation computed it. */
    long maxTimestamp(int i) {
        return maxTimestamps[i];
    }

    /** How many offsets batch {@code i} takes (lastOffsetDelta + 1). */
    int offsetCount(int i) {
        return offsetCounts[i];
    }

    int recordCount(int i) {
        return recordCounts[i];
    }

    int totalRecords() {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += recordCounts[i];
        }
        return total;
    }

    /** The largest of the batches' max timestamps, or -1. */
    long largestTimestamp() {
        long largest = -1;
        for (int i = 0; i < count; i++) {
            largest = Math.max(largest, maxTimestamps[i]);
        }
        return largest;
    }
}

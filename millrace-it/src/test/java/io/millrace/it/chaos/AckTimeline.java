package io.millrace.it.chaos;

import java.util.Arrays;

/**
 * When acknowledgements arrived, per partition ({@link System#nanoTime()}), so the longest time a
 * partition went without one during a fault can be computed afterwards. Thread-safe (synchronized).
 */
final class AckTimeline {
    private final long[][] times;
    private final int[] sizes;

    AckTimeline(int partitions) {
        times = new long[partitions][1024];
        sizes = new int[partitions];
    }

    synchronized void record(int partition, long nanos) {
        if (sizes[partition] == times[partition].length) {
            times[partition] = Arrays.copyOf(times[partition], sizes[partition] * 2);
        }
        times[partition][sizes[partition]++] = nanos;
    }

    /** Acknowledgements of {@code partition} at or after {@code fromNanos}. */
    synchronized int countSince(int partition, long fromNanos) {
        int count = 0;
        for (int i = sizes[partition] - 1; i >= 0 && times[partition][i] >= fromNanos; i--) {
            count++;
        }
        return count;
    }

    /**
     * The longest time, in ms, any partition went without an acknowledgement between
     * {@code fromNanos} and {@code toNanos} (the span before the first and after the last included).
     */
    synchronized long longestGapMillis(long fromNanos, long toNanos) {
        long longest = 0;
        for (int p = 0; p < times.length; p++) {
            long[] sorted = Arrays.copyOf(times[p], sizes[p]);
            Arrays.sort(sorted); // callbacks of different producers interleave
            long previous = fromNanos;
            for (long t : sorted) {
                if (t < fromNanos) {
                    continue;
                }
                if (t > toNanos) {
                    break;
                }
                longest = Math.max(longest, t - previous);
                previous = t;
            }
            longest = Math.max(longest, toNanos - previous);
        }
        return longest / 1_000_000;
    }
}

package io.millrace.console;

/**
 * The last {@code capacity} samples of one series, as (time in ms, value) pairs in arrival order;
 * the oldest is overwritten when full, so memory is fixed. Not thread-safe: {@link History} guards it.
 */
final class SeriesRing {

    private final long[] times;
    private final long[] values;
    private int next;
    private int size;

    SeriesRing(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
        }
        this.times = new long[capacity];
        this.values = new long[capacity];
    }

    void add(long timeMs, long value) {
        times[next] = timeMs;
        values[next] = value;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    int size() {
        return size;
    }

    /** The i-th oldest sample's time, 0 <= i < size. */
    long time(int i) {
        return times[index(i)];
    }

    /** The i-th oldest sample's value, 0 <= i < size. */
    long value(int i) {
        return values[index(i)];
    }

    private int index(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return (next - size + i + times.length) % times.length;
    }
}

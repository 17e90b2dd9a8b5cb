package io.millrace.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log in base-offset order; the last is the active one (appends go there).
 *
 * <p>Thread-safety: changed only under the log's append lock, read by anyone without locking
 * (a concurrent sorted map: readers see a consistent map at each call, never a torn one).
 */
final class SegmentList {
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int size() {
        return segments.size();
    }

    LogSegment active() {
        Map.Entry<Long, LogSegment> last = segments.lastEntry();
        return last == null ? null : last.getValue();
    }

    LogSegment first() {
        Map.Entry<Long, LogSegment> first = segments.firstEntry();
        return first == null ? null : first.getValue();
    }

    /** The segment that would hold {@code offset}: the last one starting at or before it. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        return entry == null ? null : entry.getValue();
    }

    /** The segment after the one starting at {@code baseOffset}, or null. */
    LogSegment higher(long baseOffset) {
        Map.Entry<Long, LogSegment> entry = segments.higherEntry(baseOffset);
        return entry == null ? null : entry.getValue();
    }

    /** The segments that may hold offsets at or above {@code offset}, in order. */
    Collection<LogSegment> from(long offset) {
        Long floor = segments.floorKey(offset);
        return floor == null ? segments.values() : segments.tailMap(floor, true).values();
    }

    /** A copy of the current segments, oldest first. */
    List<LogSegment> snapshot() {
        return new ArrayList<>(segments.values());
    }

    long totalBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }
}

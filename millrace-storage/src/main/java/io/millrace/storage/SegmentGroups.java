package io.millrace.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the segments a cleaning rewrites into runs of consecutive segments, each to become one
 * cleaned segment: a run grows while its segments' sizes add up to at most segment.bytes, each of
 * its index kinds to at most segment.index.bytes, and its offsets span at most 2³¹ - 1 (index
 * entries hold 32-bit relative offsets). Since cleaning never grows a segment by more than a few
 * bytes per tombstone it stamps, sums of the old sizes bound the new one. A single segment always
 * forms a run of its own, even if it is larger than the limits.
 *
 * <p>Stateless and thread-safe.
 */
final class SegmentGroups {

    /** One segment as the grouping sees it. */
    record Member(long baseOffset, long nextOffset, long sizeBytes, long offsetIndexBytes, long timeIndexBytes) {
    }

    private SegmentGroups() {
    }

    /** How many segments go into each run, in order; the counts add up to {@code segments.size()}. */
    static List<Integer> runLengths(List<Member> segments, long maxBytes, long maxIndexBytes) {
        List<Integer> runs = new ArrayList<>();
        int start = 0;
        while (start < segments.size()) {
            Member first = segments.get(start);
            long bytes = first.sizeBytes();
            long offsetIndex = first.offsetIndexBytes();
            long timeIndex = first.timeIndexBytes();
            int end = start + 1;
            while (end < segments.size()) {
                Member next = segments.get(end);
                if (bytes + next.sizeBytes() > maxBytes
                        || offsetIndex + next.offsetIndexBytes() > maxIndexBytes
                        || timeIndex + next.timeIndexBytes() > maxIndexBytes
                        || next.nextOffset() - 1 - first.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                bytes += next.sizeBytes();
                offsetIndex += next.offsetIndexBytes();
                timeIndex += next.timeIndexBytes();
                end++;
            }
            runs.add(end - start);
            start = end;
        }
        return runs;
    }

    /** The runs of {@code segments} (oldest first, the segment after the last given by {@code nextOffsetAfter}). */
    static List<List<LogSegment>> of(List<LogSegment> segments, long nextOffsetAfter, LogConfig config) {
        List<Member> members = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : nextOffsetAfter;
            members.add(new Member(segment.baseOffset(), next, segment.size(),
                    segment.offsetIndex().file().sizeInBytes(), segment.timeIndex().file().sizeInBytes()));
        }
        List<List<LogSegment>> groups = new ArrayList<>();
        int from = 0;
        for (int length : runLengths(members, config.segmentBytes(), config.segmentIndexBytes())) {
            groups.add(List.copyOf(segments.subList(from, from + length)));
            from += length;
        }
        return groups;
    }
}

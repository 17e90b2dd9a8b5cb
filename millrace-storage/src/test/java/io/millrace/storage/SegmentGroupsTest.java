package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentGroupsTest {

    private static SegmentGroups.Member member(long base, long next, long size) {
        return new SegmentGroups.Member(base, next, size, 16, 24);
    }

    @Test
    void runsStayUnderSegmentBytes() {
        List<SegmentGroups.Member> segments = List.of(member(0, 10, 400), member(10, 20, 400), member(20, 30, 300),
                member(30, 40, 600), member(40, 50, 2_000), member(50, 60, 10));
        assertEquals(List.of(2, 2, 1, 1), SegmentGroups.runLengths(segments, 1_000, 1_000));
    }

    @Test
    void runsStayUnderSegmentIndexBytesAndA32BitOffsetSpan() {
        List<SegmentGroups.Member> segments = List.of(member(0, 10, 1), member(10, 20, 1), member(20, 30, 1));
        assertEquals(List.of(2, 1), SegmentGroups.runLengths(segments, 1_000, 50), "time indexes of 24 bytes each");
        List<SegmentGroups.Member> wide = List.of(member(0, 10, 1), member(10, Integer.MAX_VALUE + 5L, 1));
        assertEquals(List.of(1, 1), SegmentGroups.runLengths(wide, 1_000, 1_000));
    }
}

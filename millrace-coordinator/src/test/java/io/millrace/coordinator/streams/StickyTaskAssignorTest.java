package io.millrace.coordinator.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StickyTaskAssignorTest {
    private static final Map<String, Integer> TASKS = Map.of("0", 4, "1", 3);

    private static StickyTaskAssignor.Member member(String id, String process, TaskAssignment previous) {
        return new StickyTaskAssignor.Member(id, process, previous);
    }

    @Test
    void everyTaskHasOneActiveOwnerAndTheLoadIsEven() {
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(TASKS, List.of(member("a", "p1", TaskAssignment.EMPTY),
                member("b", "p2", TaskAssignment.EMPTY), member("c", "p3", TaskAssignment.EMPTY)), 0);
        Set<Tasks.TaskId> seen = new HashSet<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (TaskAssignment a : out.values()) {
            for (Tasks.TaskId t : a.active().all()) {
                assertTrue(seen.add(t), "one owner for " + t);
            }
            min = Math.min(min, a.active().size());
            max = Math.max(max, a.active().size());
        }
        assertEquals(7, seen.size());
        assertTrue(max - min <= 1, out.toString());
    }

    @Test
    void tasksStayWhereTheyWereWhileThatKeepsTheBalance() {
        Map<String, TaskAssignment> first = StickyTaskAssignor.assign(TASKS, List.of(member("a", "p1",
                TaskAssignment.EMPTY), member("b", "p2", TaskAssignment.EMPTY)), 0);
        Map<String, TaskAssignment> second = StickyTaskAssignor.assign(TASKS, List.of(member("a", "p1", first.get("a")),
                member("b", "p2", first.get("b")), member("c", "p3", TaskAssignment.EMPTY)), 0);
        int moved = 0;
        for (String id : List.of("a", "b")) {
            moved += first.get(id).active().minus(second.get(id).active()).size();
        }
        assertEquals(second.get("c").active().size(), moved, "only what the newcomer takes moves");
        assertTrue(second.get("c").active().size() >= 2);
    }

    @Test
    void standbysAreOnOtherProcessesAndLeftOutWhenThereAreNone() {
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(TASKS, List.of(member("a", "p1", TaskAssignment.EMPTY),
                member("a2", "p1", TaskAssignment.EMPTY), member("b", "p2", TaskAssignment.EMPTY)), 2);
        Map<String, String> process = Map.of("a", "p1", "a2", "p1", "b", "p2");
        int standbys = 0;
        for (var e : out.entrySet()) {
            for (Tasks.TaskId t : e.getValue().standby().all()) {
                standbys++;
                for (var other : out.entrySet()) {
                    if (process.get(other.getKey()).equals(process.get(e.getKey()))) {
                        assertTrue(!other.getValue().active().contains(t), "standby " + t + " beside its active copy");
                    }
                }
            }
        }
        assertEquals(7, standbys, "two processes: one standby per task, the second has nowhere to go");
    }
}

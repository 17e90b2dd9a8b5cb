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

    private static final Tasks.TaskId S0 = new Tasks.TaskId("s", 0);
    private static final Tasks.TaskId S1 = new Tasks.TaskId("s", 1);

    private static StickyTaskAssignor.Settings warmups(int n) {
        return new StickyTaskAssignor.Settings(0, n, 100, Set.of("s"), List.of());
    }

    private static TaskAssignment active(Tasks.TaskId... tasks) {
        return new TaskAssignment(Tasks.ofTasks(List.of(tasks)), Tasks.EMPTY, Tasks.EMPTY);
    }

    private static StickyTaskAssignor.Member lagging(String id, TaskAssignment previous, Map<Tasks.TaskId, Long> lags) {
        return new StickyTaskAssignor.Member(id, "p-" + id, previous, Map.of(), lags);
    }

    @Test
    void aStatefulTaskStaysOnItsCaughtUpOwnerAndTheNewcomerWarmsUp() {
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(Map.of("s", 2), List.of(
                lagging("a", active(S0, S1), Map.of()), lagging("b", TaskAssignment.EMPTY, Map.of())), warmups(2));
        assertEquals(Set.of(S0, S1), new HashSet<>(out.get("a").active().all()));
        assertTrue(out.get("b").active().isEmpty());
        assertEquals(List.of(S1), out.get("b").warmup().all(), "the task the balance gives b is warmed up there");
    }

    @Test
    void aCaughtUpWarmupTakesTheActiveTask() {
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(Map.of("s", 2), List.of(
                lagging("a", active(S0, S1), Map.of()),
                lagging("b", new TaskAssignment(Tasks.EMPTY, Tasks.EMPTY, Tasks.ofTasks(List.of(S1))), Map.of(S1, 40L))),
                warmups(2));
        assertEquals(List.of(S0), out.get("a").active().all());
        assertEquals(List.of(S1), out.get("b").active().all());
        assertTrue(out.get("b").warmup().isEmpty());
    }

    @Test
    void warmupsAreCappedAndATaskNobodyIsCaughtUpOnGoesByTheBalance() {
        Map<String, Integer> four = Map.of("s", 4);
        List<Tasks.TaskId> all = List.of(S0, S1, new Tasks.TaskId("s", 2), new Tasks.TaskId("s", 3));
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(four, List.of(
                lagging("a", active(all.toArray(new Tasks.TaskId[0])), Map.of()),
                lagging("b", TaskAssignment.EMPTY, Map.of()), lagging("c", TaskAssignment.EMPTY, Map.of())), warmups(1));
        assertEquals(4, out.get("a").active().size(), "a is the only one caught up");
        assertEquals(1, out.get("b").warmup().size() + out.get("c").warmup().size(), "one warm-up at a time");

        Map<String, TaskAssignment> orphaned = StickyTaskAssignor.assign(four, List.of(
                lagging("b", TaskAssignment.EMPTY, Map.of()), lagging("c", TaskAssignment.EMPTY, Map.of())), warmups(2));
        assertEquals(2, orphaned.get("b").active().size());
        assertEquals(2, orphaned.get("c").active().size());
        assertTrue(orphaned.get("b").warmup().isEmpty() && orphaned.get("c").warmup().isEmpty());
    }

    @Test
    void statelessTasksEvenOutTheLoadStatefulOnesLeaveUneven() {
        Map<String, TaskAssignment> out = StickyTaskAssignor.assign(Map.of("s", 2, "x", 2), List.of(
                lagging("a", active(S0, S1, new Tasks.TaskId("x", 0), new Tasks.TaskId("x", 1)), Map.of()),
                lagging("b", TaskAssignment.EMPTY, Map.of())), warmups(2));
        assertEquals(Set.of(S0, S1), new HashSet<>(out.get("a").active().all()));
        assertEquals(2, out.get("b").active().size(), "b takes the stateless tasks");
        assertEquals(List.of(S1), out.get("b").warmup().all());
    }

    @Test
    void standbysGoWhereTheRackTagsDifferFromTheActiveCopy() {
        List<StickyTaskAssignor.Member> members = List.of(
                new StickyTaskAssignor.Member("a", "p1", TaskAssignment.EMPTY, Map.of("zone", "z1"), Map.of()),
                new StickyTaskAssignor.Member("b", "p2", TaskAssignment.EMPTY, Map.of("zone", "z1"), Map.of()),
                new StickyTaskAssignor.Member("c", "p3", TaskAssignment.EMPTY, Map.of("zone", "z2"), Map.of()));
        Map<String, TaskAssignment> plain = StickyTaskAssignor.assign(Map.of("0", 1), members,
                new StickyTaskAssignor.Settings(1, 0, 0, Set.of(), List.of()));
        assertEquals(1, plain.get("a").active().size());
        assertEquals(1, plain.get("b").standby().size(), "without rack tags: the first least loaded");
        Map<String, TaskAssignment> aware = StickyTaskAssignor.assign(Map.of("0", 1), members,
                new StickyTaskAssignor.Settings(1, 0, 0, Set.of(), List.of("zone")));
        assertEquals(1, aware.get("c").standby().size(), "with zone as a rack tag: the other zone");
        assertTrue(aware.get("b").standby().isEmpty());
    }
}

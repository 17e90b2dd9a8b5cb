package io.millrace.coordinator.streams;

import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server-side task assignor of streams groups (Kafka's default is its "sticky" assignor):
 * every task gets one active owner, as evenly as the members allow (each holds the floor or the
 * ceiling of tasks ÷ members), a task staying where it was active before while that keeps the
 * balance; then up to {@code numStandbyReplicas} standbys per task on members of other processes
 * (a standby beside its active copy in one process is of no use), preferring members that had
 * the standby or the active copy before, then the least loaded. No warm-up tasks: like Kafka's
 * sticky assignor, an active task moves at once and its new owner restores its state.
 * Deterministic; stateless.
 */
final class StickyTaskAssignor {

    /** A member as the assignor sees it: its process and what the previous target gave it. */
    record Member(String memberId, String processId, TaskAssignment previous) {
    }

    private StickyTaskAssignor() {
    }

    static Map<String, TaskAssignment> assign(Map<String, Integer> tasksPerSubtopology, List<Member> members,
                                              int numStandbyReplicas) {
        Map<String, TaskAssignment> out = new TreeMap<>();
        if (members.isEmpty()) {
            return out;
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::memberId));
        List<TaskId> all = new ArrayList<>();
        tasksPerSubtopology.forEach((id, n) -> {
            for (int p = 0; p < n; p++) {
                all.add(new TaskId(id, p));
            }
        });
        all.sort(null);
        Map<String, Set<TaskId>> active = new HashMap<>();
        sorted.forEach(m -> active.put(m.memberId(), new HashSet<>()));
        int floor = all.size() / sorted.size();
        int extra = all.size() % sorted.size();
        Map<TaskId, String> owner = new HashMap<>();
        // sticky, up to the floor each
        for (Member m : sorted) {
            for (TaskId t : m.previous().active().all()) {
                if (!owner.containsKey(t) && all.contains(t) && active.get(m.memberId()).size() < floor) {
                    owner.put(t, m.memberId());
                    active.get(m.memberId()).add(t);
                }
            }
        }
        // sticky, one more for as many members as may hold the ceiling
        for (Member m : sorted) {
            if (extra == 0) {
                break;
            }
            for (TaskId t : m.previous().active().all()) {
                if (!owner.containsKey(t) && all.contains(t) && active.get(m.memberId()).size() == floor) {
                    owner.put(t, m.memberId());
                    active.get(m.memberId()).add(t);
                    extra--;
                    break;
                }
            }
        }
        // the rest to the least loaded, preferring a member that had the task as a standby
        for (TaskId t : all) {
            if (owner.containsKey(t)) {
                continue;
            }
            Member best = null;
            for (Member m : sorted) {
                if (best == null || better(m, best, active, t)) {
                    best = m;
                }
            }
            owner.put(t, best.memberId());
            active.get(best.memberId()).add(t);
        }
        Map<String, Set<TaskId>> standby = standbys(all, sorted, owner, active, numStandbyReplicas);
        for (Member m : sorted) {
            out.put(m.memberId(), new TaskAssignment(Tasks.ofTasks(active.get(m.memberId())),
                    Tasks.ofTasks(standby.get(m.memberId())), Tasks.EMPTY));
        }
        return out;
    }

    private static boolean better(Member candidate, Member best, Map<String, Set<TaskId>> active, TaskId t) {
        int c = active.get(candidate.memberId()).size();
        int b = active.get(best.memberId()).size();
        if (c != b) {
            return c < b;
        }
        return candidate.previous().standby().contains(t) && !best.previous().standby().contains(t);
    }

    private static Map<String, Set<TaskId>> standbys(List<TaskId> all, List<Member> members, Map<TaskId, String> owner,
                                                     Map<String, Set<TaskId>> active, int replicas) {
        Map<String, Set<TaskId>> standby = new HashMap<>();
        Map<String, String> processOf = new HashMap<>();
        members.forEach(m -> {
            standby.put(m.memberId(), new HashSet<>());
            processOf.put(m.memberId(), m.processId());
        });
        for (TaskId t : all) {
            Set<String> processesWithTask = new HashSet<>();
            processesWithTask.add(processOf.get(owner.get(t)));
            for (int r = 0; r < replicas; r++) {
                Member best = null;
                for (Member m : members) {
                    if (processesWithTask.contains(m.processId())) {
                        continue;
                    }
                    if (best == null || betterStandby(m, best, active, standby, t)) {
                        best = m;
                    }
                }
                if (best == null) {
                    break; // fewer processes than copies: as Kafka, the standby is left out
                }
                standby.get(best.memberId()).add(t);
                processesWithTask.add(best.processId());
            }
        }
        return standby;
    }

    private static boolean betterStandby(Member candidate, Member best, Map<String, Set<TaskId>> active,
                                         Map<String, Set<TaskId>> standby, TaskId t) {
        boolean c = candidate.previous().standby().contains(t) || candidate.previous().active().contains(t);
        boolean b = best.previous().standby().contains(t) || best.previous().active().contains(t);
        if (c != b) {
            return c;
        }
        int cl = active.get(candidate.memberId()).size() + standby.get(candidate.memberId()).size();
        int bl = active.get(best.memberId()).size() + standby.get(best.memberId()).size();
        return cl < bl;
    }
}

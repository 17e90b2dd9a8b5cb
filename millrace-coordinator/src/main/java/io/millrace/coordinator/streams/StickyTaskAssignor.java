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
 * balance. Then warm-ups: a stateful task the balance would move to a member that is not caught
 * up on it (its changelog lag above {@code acceptableRecoveryLag}, or unknown) stays active on a
 * member that is (its previous owner, else the one of least lag), and up to {@code numWarmups}
 * such destinations get the task as a warm-up to restore its state; once a warm-up has caught up,
 * the next assignment moves the active task there. A task no member is caught up on goes where
 * the balance says. Then up to {@code numStandbyReplicas} standbys per task on members of other
 * processes (a standby beside its active copy in one process is of no use), preferring members
 * whose rack tags ({@code rack.aware.assignment.tags} of their client tags) differ most from those
 * of the copies placed so far, then those that had the standby or the active copy before, then
 * the least loaded. A standby also restores the state, so a member never has the same task as
 * standby and warm-up. Deterministic; stateless.
 */
final class StickyTaskAssignor {

    /**
     * A member as the assignor sees it: its process, what the previous target gave it, its client
     * tags, and its lag on the tasks it reported offsets for (absent: unknown).
     */
    record Member(String memberId, String processId, TaskAssignment previous, Map<String, String> clientTags,
                  Map<TaskId, Long> lags) {
        Member(String memberId, String processId, TaskAssignment previous) {
            this(memberId, processId, previous, Map.of(), Map.of());
        }
    }

    /** The group's assignment settings; {@code stateful} are the subtopologies with state stores. */
    record Settings(int numStandbyReplicas, int numWarmups, long acceptableRecoveryLag, Set<String> stateful,
                    List<String> rackTags) {
        static Settings standbysOnly(int numStandbyReplicas) {
            return new Settings(numStandbyReplicas, 0, 0, Set.of(), List.of());
        }
    }

    private StickyTaskAssignor() {
    }

    static Map<String, TaskAssignment> assign(Map<String, Integer> tasksPerSubtopology, List<Member> members,
                                              int numStandbyReplicas) {
        return assign(tasksPerSubtopology, members, Settings.standbysOnly(numStandbyReplicas));
    }

    static Map<String, TaskAssignment> assign(Map<String, Integer> tasksPerSubtopology, List<Member> members,
                                              Settings settings) {
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
        Map<TaskId, String> owner = new HashMap<>();
        // stateful and stateless tasks are each spread evenly, as moving a stateful one costs more
        List<TaskId> stateful = all.stream().filter(t -> settings.stateful().contains(t.subtopologyId())).toList();
        List<TaskId> stateless = all.stream().filter(t -> !settings.stateful().contains(t.subtopologyId())).toList();
        balance(stateful, sorted, active, owner);
        balance(stateless, sorted, active, owner);
        Map<String, Set<TaskId>> warmup = warmups(all, sorted, owner, active, settings);
        evenOutStateless(sorted, owner, active, settings);
        Map<String, Set<TaskId>> standby = standbys(all, sorted, owner, active, settings);
        for (Member m : sorted) {
            Set<TaskId> w = warmup.get(m.memberId());
            w.removeAll(standby.get(m.memberId()));
            out.put(m.memberId(), new TaskAssignment(Tasks.ofTasks(active.get(m.memberId())),
                    Tasks.ofTasks(standby.get(m.memberId())), Tasks.ofTasks(w)));
        }
        return out;
    }

    /** Spreads these tasks evenly over the members, each keeping what it had while that keeps the balance. */
    private static void balance(List<TaskId> tasks, List<Member> sorted, Map<String, Set<TaskId>> active,
                                Map<TaskId, String> owner) {
        if (tasks.isEmpty()) {
            return;
        }
        Set<TaskId> these = new HashSet<>(tasks);
        Map<String, Integer> count = new HashMap<>();
        sorted.forEach(m -> count.put(m.memberId(), 0));
        int floor = tasks.size() / sorted.size();
        int extra = tasks.size() % sorted.size();
        // sticky, up to the floor each
        for (Member m : sorted) {
            for (TaskId t : m.previous().active().all()) {
                if (!owner.containsKey(t) && these.contains(t) && count.get(m.memberId()) < floor) {
                    give(t, m, active, owner, count);
                }
            }
        }
        // sticky, one more for as many members as may hold the ceiling
        for (Member m : sorted) {
            if (extra == 0) {
                break;
            }
            for (TaskId t : m.previous().active().all()) {
                if (!owner.containsKey(t) && these.contains(t) && count.get(m.memberId()) == floor) {
                    give(t, m, active, owner, count);
                    extra--;
                    break;
                }
            }
        }
        // the rest to the least loaded, preferring a member that had the task as a standby
        for (TaskId t : tasks) {
            if (owner.containsKey(t)) {
                continue;
            }
            Member best = null;
            for (Member m : sorted) {
                if (best == null || better(m, best, count, active, t)) {
                    best = m;
                }
            }
            give(t, best, active, owner, count);
        }
    }

    private static void give(TaskId t, Member m, Map<String, Set<TaskId>> active, Map<TaskId, String> owner,
                             Map<String, Integer> count) {
        owner.put(t, m.memberId());
        active.get(m.memberId()).add(t);
        count.merge(m.memberId(), 1, Integer::sum);
    }

    /** Moves stateful tasks back to a caught-up member; returns the warm-ups given in their stead. */
    private static Map<String, Set<TaskId>> warmups(List<TaskId> all, List<Member> members, Map<TaskId, String> owner,
                                                    Map<String, Set<TaskId>> active, Settings settings) {
        Map<String, Set<TaskId>> warmup = new HashMap<>();
        Map<String, Member> byId = new HashMap<>();
        members.forEach(m -> {
            warmup.put(m.memberId(), new HashSet<>());
            byId.put(m.memberId(), m);
        });
        int left = settings.numWarmups();
        for (TaskId t : all) {
            if (!settings.stateful().contains(t.subtopologyId())) {
                continue;
            }
            Member to = byId.get(owner.get(t));
            if (caughtUp(to, t, settings)) {
                continue;
            }
            Member source = null;
            for (Member m : members) {
                if (m != to && caughtUp(m, t, settings) && (source == null || closer(m, source, t))) {
                    source = m;
                }
            }
            if (source == null) {
                continue; // no one is caught up: the new owner restores the state anyway
            }
            active.get(to.memberId()).remove(t);
            active.get(source.memberId()).add(t);
            owner.put(t, source.memberId());
            if (left > 0 && !to.processId().equals(source.processId())) {
                warmup.get(to.memberId()).add(t);
                left--;
            }
        }
        return warmup;
    }

    /**
     * Stateful tasks kept on caught-up members may leave the load uneven: stateless tasks, which
     * cost nothing to move, go from the most to the least loaded member until the loads differ by
     * at most one (or no stateless task is left to move), preferring one the receiver had before.
     */
    private static void evenOutStateless(List<Member> members, Map<TaskId, String> owner,
                                         Map<String, Set<TaskId>> active, Settings settings) {
        while (true) {
            Member most = null;
            Member least = null;
            for (Member m : members) {
                int n = active.get(m.memberId()).size();
                if (most == null || n > active.get(most.memberId()).size()) {
                    most = m;
                }
                if (least == null || n < active.get(least.memberId()).size()) {
                    least = m;
                }
            }
            if (active.get(most.memberId()).size() - active.get(least.memberId()).size() <= 1) {
                return;
            }
            TaskId move = null;
            for (TaskId t : new java.util.TreeSet<>(active.get(most.memberId()))) {
                if (!settings.stateful().contains(t.subtopologyId())
                        && (move == null || least.previous().active().contains(t))) {
                    move = t;
                    if (least.previous().active().contains(t)) {
                        break;
                    }
                }
            }
            if (move == null) {
                return;
            }
            active.get(most.memberId()).remove(move);
            active.get(least.memberId()).add(move);
            owner.put(move, least.memberId());
        }
    }

    /** Its previous active owner, or a member within the acceptable lag of the changelog end. */
    private static boolean caughtUp(Member m, TaskId t, Settings settings) {
        if (m.previous().active().contains(t)) {
            return true;
        }
        Long lag = m.lags().get(t);
        return lag != null && lag <= settings.acceptableRecoveryLag();
    }

    private static boolean closer(Member candidate, Member best, TaskId t) {
        boolean c = candidate.previous().active().contains(t);
        boolean b = best.previous().active().contains(t);
        if (c != b) {
            return c;
        }
        return candidate.lags().getOrDefault(t, Long.MAX_VALUE) < best.lags().getOrDefault(t, Long.MAX_VALUE);
    }

    private static boolean better(Member candidate, Member best, Map<String, Integer> count,
                                  Map<String, Set<TaskId>> active, TaskId t) {
        int c = count.get(candidate.memberId());
        int b = count.get(best.memberId());
        if (c != b) {
            return c < b;
        }
        int ct = active.get(candidate.memberId()).size();
        int bt = active.get(best.memberId()).size();
        if (ct != bt) {
            return ct < bt;
        }
        return candidate.previous().standby().contains(t) && !best.previous().standby().contains(t);
    }

    private static Map<String, Set<TaskId>> standbys(List<TaskId> all, List<Member> members, Map<TaskId, String> owner,
                                                     Map<String, Set<TaskId>> active, Settings settings) {
        int replicas = settings.numStandbyReplicas();
        Map<String, Member> byId = new HashMap<>();
        members.forEach(m -> byId.put(m.memberId(), m));
        Map<String, Set<TaskId>> standby = new HashMap<>();
        Map<String, String> processOf = new HashMap<>();
        members.forEach(m -> {
            standby.put(m.memberId(), new HashSet<>());
            processOf.put(m.memberId(), m.processId());
        });
        for (TaskId t : all) {
            Set<String> processesWithTask = new HashSet<>();
            processesWithTask.add(processOf.get(owner.get(t)));
            List<Member> holders = new ArrayList<>();
            holders.add(byId.get(owner.get(t)));
            for (int r = 0; r < replicas; r++) {
                Member best = null;
                for (Member m : members) {
                    if (processesWithTask.contains(m.processId())) {
                        continue;
                    }
                    if (best == null || betterStandby(m, best, active, standby, t, holders, settings.rackTags())) {
                        best = m;
                    }
                }
                if (best == null) {
                    break; // fewer processes than copies: as Kafka, the standby is left out
                }
                standby.get(best.memberId()).add(t);
                processesWithTask.add(best.processId());
                holders.add(best);
            }
        }
        return standby;
    }

    private static boolean betterStandby(Member candidate, Member best, Map<String, Set<TaskId>> active,
                                         Map<String, Set<TaskId>> standby, TaskId t, List<Member> holders,
                                         List<String> rackTags) {
        int cd = distinctTags(candidate, holders, rackTags);
        int bd = distinctTags(best, holders, rackTags);
        if (cd != bd) {
            return cd > bd;
        }
        boolean c = candidate.previous().standby().contains(t) || candidate.previous().active().contains(t);
        boolean b = best.previous().standby().contains(t) || best.previous().active().contains(t);
        if (c != b) {
            return c;
        }
        int cl = active.get(candidate.memberId()).size() + standby.get(candidate.memberId()).size();
        int bl = active.get(best.memberId()).size() + standby.get(best.memberId()).size();
        return cl < bl;
    }

    /** How many of the rack tags this member has a value for that none of the task's holders shares. */
    private static int distinctTags(Member m, List<Member> holders, List<String> rackTags) {
        int n = 0;
        for (String tag : rackTags) {
            String value = m.clientTags().get(tag);
            if (value != null && holders.stream().noneMatch(h -> value.equals(h.clientTags().get(tag)))) {
                n++;
            }
        }
        return n;
    }
}

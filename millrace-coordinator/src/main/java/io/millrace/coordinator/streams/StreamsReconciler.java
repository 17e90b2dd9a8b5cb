package io.millrace.coordinator.streams;

import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves a member's current assignment towards its target, as KIP-1071 does: a member first gives
 * up the active tasks it no longer has (its epoch stays behind while it does), then takes the
 * target's epoch and those of its new active tasks that no other member still owns; the rest
 * follow once released. Pure: the result is written as a record, then replayed.
 */
final class StreamsReconciler {
    private StreamsReconciler() {
    }

    /**
     * @param self        the member, and the static member it replaces if any: their tasks are its own
     * @param ownedActive the active tasks the member reports it owns now, null if it did not say
     */
    static StreamsMemberAssignment reconcile(StreamsGroup group, Set<String> self, StreamsMemberAssignment current,
                                             TaskAssignment target, int targetEpoch, Tasks ownedActive) {
        if (current.state() == StreamsMemberAssignment.State.UNREVOKED_TASKS) {
            if (ownedActive == null || !ownedActive.intersect(current.pendingRevocation()).isEmpty()) {
                return current; // still revoking
            }
        } else if (current.memberEpoch() == targetEpoch && current.state() == StreamsMemberAssignment.State.STABLE) {
            return current;
        }
        Tasks revoke = current.active().minus(target.active());
        if (!revoke.isEmpty() && current.memberEpoch() != targetEpoch) {
            return new StreamsMemberAssignment(current.memberEpoch(), current.previousMemberEpoch(),
                    StreamsMemberAssignment.State.UNREVOKED_TASKS, current.active().intersect(target.active()),
                    current.standby().intersect(target.standby()), current.warmup().intersect(target.warmup()), revoke);
        }
        List<TaskId> granted = new ArrayList<>();
        boolean unreleased = false;
        for (TaskId t : target.active().all()) {
            if (group.activeOwnerOtherThan(self, t) == null) {
                granted.add(t);
            } else {
                unreleased = true;
            }
        }
        int previous = current.memberEpoch() == targetEpoch ? current.previousMemberEpoch() : current.memberEpoch();
        return new StreamsMemberAssignment(targetEpoch, previous,
                unreleased ? StreamsMemberAssignment.State.UNRELEASED_TASKS : StreamsMemberAssignment.State.STABLE,
                Tasks.ofTasks(granted), target.standby(), target.warmup(), Tasks.EMPTY);
    }
}

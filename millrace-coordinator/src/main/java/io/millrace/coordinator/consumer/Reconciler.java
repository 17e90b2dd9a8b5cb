package io.millrace.coordinator.consumer;

import java.util.function.Predicate;

/**
 * One step of a member's reconciliation toward its target assignment (KIP-848), a pure function.
 *
 * <p>The rule that keeps a partition from being consumed twice: a member gives up partitions
 * before its epoch advances, and a member is handed a partition only once no other member owns
 * it (assigned or still revoking). So:
 * <ul>
 *   <li>A member whose target dropped some of its partitions stays at its epoch in
 *       {@link MemberState#UNREVOKED_PARTITIONS}, keeps the rest, and is told to revoke the
 *       dropped ones. Its next heartbeat reporting it no longer owns them completes the
 *       revocation.</li>
 *   <li>A member with nothing left to revoke moves to the target epoch and gets every partition
 *       of its target that is free; the others it waits for in
 *       {@link MemberState#UNRELEASED_PARTITIONS}, getting them at later heartbeats as their
 *       owners release them.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class Reconciler {
    private Reconciler() {
    }

    /**
     * The member's next assignment.
     *
     * @param current       its assignment now
     * @param targetEpoch   the epoch of the group's target assignment
     * @param target        its part of the target assignment
     * @param ownedByOther  whether another member owns a partition
     * @param reportedOwned the partitions the member says it owns, or null if it did not say
     * @param joining       whether the member is (re)joining, so owns nothing whatever the state says
     */
    static MemberAssignment reconcile(MemberAssignment current, int targetEpoch, PartitionSet target,
                                      Predicate<PartitionRef> ownedByOther, PartitionSet reportedOwned,
                                      boolean joining) {
        MemberAssignment next = current;
        // A revocation decided now is completed by a later heartbeat's report, sent after the member
        // has seen this response; a report in this request may predate a reconciliation still under
        // way on the client. Only a joining member, which owns nothing, completes it at once.
        int rounds = joining ? 2 : 1;
        for (int round = 0; round < rounds; round++) {
            MemberAssignment stepped = step(next, targetEpoch, target, ownedByOther, reportedOwned);
            if (stepped.equals(next)) {
                break;
            }
            next = stepped;
        }
        return next;
    }

    private static MemberAssignment step(MemberAssignment current, int targetEpoch, PartitionSet target,
                                         Predicate<PartitionRef> ownedByOther, PartitionSet reportedOwned) {
        return switch (current.state()) {
            case UNREVOKED_PARTITIONS -> {
                if (reportedOwned == null || reportedOwned.containsAny(current.pendingRevocation())) {
                    yield current;
                }
                MemberAssignment revoked = new MemberAssignment(current.memberEpoch(), current.previousMemberEpoch(),
                        MemberState.STABLE, current.assigned(), PartitionSet.EMPTY);
                yield advance(revoked, targetEpoch, target, ownedByOther);
            }
            case UNRELEASED_PARTITIONS -> current.memberEpoch() == targetEpoch
                    ? acquireReleased(current, target, ownedByOther)
                    : advance(current, targetEpoch, target, ownedByOther);
            case STABLE -> current.memberEpoch() == targetEpoch
                    ? current
                    : advance(current, targetEpoch, target, ownedByOther);
        };
    }

    /** From a member with nothing pending revocation, toward a (possibly new) target. */
    private static MemberAssignment advance(MemberAssignment current, int targetEpoch, PartitionSet target,
                                            Predicate<PartitionRef> ownedByOther) {
        PartitionSet kept = current.assigned().intersect(target);
        PartitionSet toRevoke = current.assigned().minus(target);
        if (!toRevoke.isEmpty()) {
            return new MemberAssignment(current.memberEpoch(), current.previousMemberEpoch(),
                    MemberState.UNREVOKED_PARTITIONS, kept, toRevoke);
        }
        PartitionSet assigned = kept.union(target.minus(kept).filter(ownedByOther.negate()));
        MemberState state = assigned.size() == target.size() ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS;
        int previous = current.memberEpoch() == targetEpoch ? current.previousMemberEpoch() : current.memberEpoch();
        return new MemberAssignment(targetEpoch, previous, state, assigned, PartitionSet.EMPTY);
    }

    private static MemberAssignment acquireReleased(MemberAssignment current, PartitionSet target,
                                                    Predicate<PartitionRef> ownedByOther) {
        PartitionSet assigned = current.assigned().union(target.minus(current.assigned()).filter(ownedByOther.negate()));
        MemberState state = assigned.size() == target.size() ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS;
        return new MemberAssignment(current.memberEpoch(), current.previousMemberEpoch(), state, assigned,
                PartitionSet.EMPTY);
    }
}

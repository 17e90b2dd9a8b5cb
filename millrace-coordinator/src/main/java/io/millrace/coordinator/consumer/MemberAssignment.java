package io.millrace.coordinator.consumer;

/**
 * A member's current assignment: what it may use now, at which epoch.
 *
 * @param memberEpoch         the epoch the member is at
 * @param previousMemberEpoch the epoch before; a heartbeat at it is still accepted while it
 *                            reports no partitions beyond {@code assigned} (its last response was lost)
 * @param state               where reconciliation stands
 * @param assigned            the partitions the member may consume
 * @param pendingRevocation   partitions it still owns but must give up before its epoch advances
 */
public record MemberAssignment(int memberEpoch, int previousMemberEpoch, MemberState state,
                               PartitionSet assigned, PartitionSet pendingRevocation) {
    /** A member that has just joined: epoch 0, nothing owned. */
    public static final MemberAssignment JOINING =
            new MemberAssignment(0, 0, MemberState.STABLE, PartitionSet.EMPTY, PartitionSet.EMPTY);

    /** Every partition the member holds: assigned and pending revocation. */
    public PartitionSet owned() {
        return assigned.union(pendingRevocation);
    }

    public MemberAssignment withEpoch(int epoch) {
        return new MemberAssignment(epoch, previousMemberEpoch, state, assigned, pendingRevocation);
    }
}

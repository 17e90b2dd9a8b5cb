package io.millrace.coordinator.streams;

/**
 * A member's current assignment (record key type 22): its epoch, and the tasks it owns. While
 * it still has to give up active tasks ({@code pendingRevocation}) its epoch stays behind the
 * group's; tasks another member has not yet given up are not handed to it yet.
 */
public record StreamsMemberAssignment(int memberEpoch, int previousMemberEpoch, State state, Tasks active,
                                      Tasks standby, Tasks warmup, Tasks pendingRevocation) {
    public static final StreamsMemberAssignment NONE = new StreamsMemberAssignment(0, 0, State.STABLE, Tasks.EMPTY,
            Tasks.EMPTY, Tasks.EMPTY, Tasks.EMPTY);

    /** As Kafka names a streams member's reconciliation state. */
    public enum State {
        STABLE(0, "STABLE"), UNREVOKED_TASKS(1, "UNREVOKED_TASKS"), UNRELEASED_TASKS(2, "UNRELEASED_TASKS");

        final byte code;
        final String displayName;

        State(int code, String displayName) {
            this.code = (byte) code;
            this.displayName = displayName;
        }

        static State of(byte code) {
            for (State s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return STABLE;
        }
    }

    /** The active tasks the member may still be processing: what it owns plus what it is revoking. */
    public Tasks ownedActive() {
        return active.plus(pendingRevocation);
    }
}

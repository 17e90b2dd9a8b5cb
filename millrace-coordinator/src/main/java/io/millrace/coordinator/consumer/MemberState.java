package io.millrace.coordinator.consumer;

/**
 * Where a member is in reconciling toward its target assignment. The code is stored in the
 * current-assignment record; never reuse one.
 */
public enum MemberState {
    /** The member owns its whole target at the target's epoch. */
    STABLE((byte) 0),
    /** The member must first give up partitions its target no longer holds; its epoch waits. */
    UNREVOKED_PARTITIONS((byte) 1),
    /** The member is at the target epoch but some of its target is still owned by others. */
    UNRELEASED_PARTITIONS((byte) 2);

    private final byte code;

    MemberState(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static MemberState fromCode(byte code) {
        for (MemberState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown member state code " + code);
    }
}

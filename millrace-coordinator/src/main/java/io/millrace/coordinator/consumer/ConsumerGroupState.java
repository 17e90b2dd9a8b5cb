package io.millrace.coordinator.consumer;

/**
 * The state of a consumer group as ListGroups and ConsumerGroupDescribe report it; the display
 * names are Kafka's.
 */
public enum ConsumerGroupState {
    /** No members (committed offsets may remain). */
    EMPTY("Empty"),
    /** The group epoch moved past the target assignment's; a new target is being computed. */
    ASSIGNING("Assigning"),
    /** Some member is not yet at the target assignment's epoch, or not yet owns all of its target. */
    RECONCILING("Reconciling"),
    /** Every member owns its whole target at the target's epoch. */
    STABLE("Stable"),
    /** The group is gone. */
    DEAD("Dead");

    private final String displayName;

    ConsumerGroupState(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}

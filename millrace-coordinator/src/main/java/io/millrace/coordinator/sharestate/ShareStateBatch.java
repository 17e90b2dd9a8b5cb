package io.millrace.coordinator.sharestate;

/**
 * A range of in-flight offsets of a share-partition with one state and one delivery count, as
 * ReadShareGroupState and WriteShareGroupState carry them. {@code state} uses Kafka's numbering
 * (0 available, 1 acquired, 2 acknowledged, 3 archiving: on its way to the
 * group's dead-letter topic (KIP-1191), 4 archived). Immutable.
 */
public record ShareStateBatch(long firstOffset, long lastOffset, byte state, short deliveryCount) {
    public static final byte AVAILABLE = 0;
    public static final byte ACQUIRED = 1;
    public static final byte ACKNOWLEDGED = 2;
    public static final byte ARCHIVING = 3;
    public static final byte ARCHIVED = 4;
}

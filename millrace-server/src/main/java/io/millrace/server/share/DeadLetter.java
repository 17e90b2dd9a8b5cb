package io.millrace.server.share;

/**
 * A range of a share-partition's offsets on their way to the group's dead-letter topic (KIP-1191):
 * archiving, delivered {@code deliveryCount} times, either rejected by a consumer or past the
 * group's delivery count limit. Immutable.
 */
public record DeadLetter(long firstOffset, long lastOffset, short deliveryCount, boolean rejected) {
    /** Kafka's {@code __dlq.errors.message} for a record a consumer rejected. */
    public static final String REJECTED = "Offset rejected by client.";
    /** Kafka's {@code __dlq.errors.message} for a record past the delivery count limit. */
    public static final String DELIVERY_COUNT_EXCEEDED = "Offset delivery count exceeded the threshold.";

    public String reason() {
        return rejected ? REJECTED : DELIVERY_COUNT_EXCEEDED;
    }

    /** This range grown by {@code offset} when it is the next offset with the same count and cause; else null. */
    DeadLetter extendedBy(long offset, short count, boolean rejectedToo) {
        return offset == lastOffset + 1 && count == deliveryCount && rejectedToo == rejected
                ? new DeadLetter(firstOffset, offset, deliveryCount, rejected) : null;
    }
}

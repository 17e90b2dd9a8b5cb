package io.millrace.storage;

/**
 * One record of a rejected batch and why (KIP-467): what Produce v8+ answers in
 * {@code record_errors}.
 *
 * @param batchIndex the record's position in its batch, from 0
 * @param message    why it was rejected
 */
public record RecordError(int batchIndex, String message) {

    /** Kafka's own rendering, which its partition-level message quotes. */
    @Override
    public String toString() {
        return "RecordError(batchIndex=" + batchIndex + ", message=" + (message == null ? "null" : "'" + message + "'")
                + ")";
    }
}

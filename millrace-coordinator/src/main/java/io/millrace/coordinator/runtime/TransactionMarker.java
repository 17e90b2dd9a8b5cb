package io.millrace.coordinator.runtime;

/**
 * The end of a transaction as a control record (a COMMIT or ABORT marker) in a coordinator
 * partition: records a producer wrote in the transaction take effect at COMMIT and are dropped
 * at ABORT. Kafka's control record types 1 and 0.
 */
public enum TransactionMarker {
    ABORT,
    COMMIT
}

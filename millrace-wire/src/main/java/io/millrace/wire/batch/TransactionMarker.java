package io.millrace.wire.batch;

/**
 * What the one control record of a transaction marker batch says (KIP-98): whether the
 * transaction committed or aborted, and the epoch of the transaction coordinator that wrote it.
 * The batch header carries the producer id and epoch. Built and read by {@link KafkaRecords}.
 *
 * @param commit           true for COMMIT, false for ABORT
 * @param coordinatorEpoch the epoch of the {@code __transaction_state} partition's coordinator
 */
public record TransactionMarker(boolean commit, int coordinatorEpoch) {
}

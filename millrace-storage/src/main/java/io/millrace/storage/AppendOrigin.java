package io.millrace.storage;

/**
 * Who a leader append comes from, which decides how its producer fields are checked (Kafka's
 * {@code AppendOrigin}).
 * <ul>
 * <li>{@link #CLIENT}: a producer's Produce request; idempotent sequences are checked and a retried
 *     batch is recognised ({@link ProducerSequenceCheck}).</li>
 * <li>{@link #COORDINATOR}: a coordinator writing its own records, among them a transactional
 *     producer's offsets (TxnOffsetCommit) in that producer's name; such batches carry no sequence,
 *     so only the producer epoch and transaction state are checked, and no batch is taken for a retry.</li>
 * </ul>
 */
public enum AppendOrigin {
    CLIENT,
    COORDINATOR
}

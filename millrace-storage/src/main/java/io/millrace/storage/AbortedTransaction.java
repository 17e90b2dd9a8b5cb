package io.millrace.storage;

/**
 * A transaction that ended with an ABORT marker, as the aborted-transaction index of the segment
 * holding its marker records it ({@link TransactionIndex}).
 *
 * @param producerId       the producer that wrote it
 * @param firstOffset      the base offset of its first batch in this partition
 * @param lastOffset       the offset of its ABORT marker
 * @param lastStableOffset the partition's first unstable offset once it ended (the first offset
 *                         of the oldest transaction still open then, else {@code lastOffset + 1})
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}

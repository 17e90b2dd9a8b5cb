package io.millrace.storage;

/**
 * One batch an idempotent producer wrote, as remembered for duplicate detection.
 *
 * @param firstSeq    sequence of its first record
 * @param lastSeq     sequence of its last record
 * @param firstOffset offset given to its first record
 * @param lastOffset  offset given to its last record
 * @param timestamp   its max timestamp
 */
record ProducerBatch(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}

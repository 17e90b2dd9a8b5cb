package io.millrace.storage;

/**
 * The answer to "where does leader epoch {@code epoch} end in this log" (OffsetsForLeaderEpoch,
 * KIP-101/279/320), from {@link PartitionLog#endOffsetForEpoch}:
 * <ul>
 * <li>the largest epoch at or below the one asked about, and the offset after its last record
 *     (the start offset of the next epoch, or the log end offset for the latest epoch — also
 *     the answer for an epoch above the latest);</li>
 * <li>for an epoch below the first one the log knows: the asked epoch and the first known
 *     epoch's start offset (Kafka's answer, KIP-279: the asker's records of that epoch cannot
 *     reach past it);</li>
 * <li>{@link #UNDEFINED} (-1, -1) when the log knows no epoch at all, or the asked epoch is
 *     negative.</li>
 * </ul>
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}

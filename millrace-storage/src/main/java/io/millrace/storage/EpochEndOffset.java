package io.millrace.storage;

/**
 * The answer to "where does leader epoch {@code epoch} end in this log": the largest epoch at or
 * below the one asked about, and the offset after its last record (the start offset of the next
 * epoch, or the log end offset for the latest epoch). {@link #UNDEFINED} when the log knows no
 * epoch at or below it.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}

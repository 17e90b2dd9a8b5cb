package io.millrace.metadata.log;

/**
 * How far this node has applied the metadata log into its image, both offsets in the log's own
 * offset space (a cluster voter: Raft log indexes, as DescribeQuorum's high watermark; a single
 * node, or a node that is not a voter and follows the leader's applied records: record counts),
 * so that their difference is the entries committed but not applied here yet.
 *
 * @param lastAppliedOffset the last entry applied to this node's image
 * @param committedOffset   the last committed entry this node knows of
 * @param caughtUpAtMs      when this node last had every entry it knew committed applied (ms since
 *                          the epoch)
 */
public record MetadataApplyPosition(long lastAppliedOffset, long committedOffset, long caughtUpAtMs) {

    /** A node that applies each entry as it commits it (its own quorum). */
    public static MetadataApplyPosition caughtUp(long offset, long nowMs) {
        return new MetadataApplyPosition(offset, offset, nowMs);
    }

    /** Entries committed but not applied here yet. */
    public long offsetLag() {
        return Math.max(0, committedOffset - lastAppliedOffset);
    }

    /** 0 when caught up, else how long this node has been behind (since it last was caught up). */
    public long lagMs(long nowMs) {
        return offsetLag() == 0 ? 0 : Math.max(0, nowMs - caughtUpAtMs);
    }
}

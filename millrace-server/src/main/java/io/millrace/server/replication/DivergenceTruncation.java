package io.millrace.server.replication;

import io.millrace.storage.EpochEndOffset;

/**
 * Where a follower truncates when the leader answers a fetch with a diverging epoch (KIP-595,
 * Fetch v12+): the leader's largest epoch at or below the follower's last fetched epoch, and the
 * offset where that epoch ends in the leader's log. The follower looks up the same epoch in its
 * own log ({@code PartitionLog.endOffsetForEpoch}: the largest epoch at or below it, and its end).
 *
 * <ul>
 *   <li>the follower holds that very epoch: both logs agree up to where the shorter of the two
 *       copies of it ends; truncate there. Done.</li>
 *   <li>the follower only holds older epochs: it does not know the leader's epoch at all, so
 *       everything after its own older epoch is suspect; truncate to that epoch's end. The next
 *       fetch carries the older epoch as its last fetched epoch and the leader answers again
 *       if they still diverge.</li>
 *   <li>the follower holds no epoch at or below it: trust the leader's end offset.</li>
 * </ul>
 * Never above the follower's log end. As in Kafka, this may truncate below the high watermark.
 *
 * <p>Stateless; thread-safe.
 */
public final class DivergenceTruncation {

    /**
     * @param offset   truncate the follower's log to this offset (remove everything at or above it)
     * @param complete false when a further fetch may truncate more (the follower did not know the epoch)
     */
    public record Truncation(long offset, boolean complete) {
    }

    private DivergenceTruncation() {
    }

    /**
     * @param leader        the fetch response's diverging epoch (epoch and end offset in the leader's log)
     * @param follower      {@code endOffsetForEpoch(leader.epoch())} of the follower's log
     * @param logEndOffset  the follower's log end offset
     */
    public static Truncation of(EpochEndOffset leader, EpochEndOffset follower, long logEndOffset) {
        if (follower.epoch() < 0 || follower.endOffset() < 0) {
            return new Truncation(Math.min(leader.endOffset(), logEndOffset), true);
        }
        if (follower.epoch() == leader.epoch()) {
            return new Truncation(Math.min(Math.min(follower.endOffset(), leader.endOffset()), logEndOffset), true);
        }
        return new Truncation(Math.min(follower.endOffset(), logEndOffset), false);
    }
}

package io.millrace.quorum;

import java.util.List;

/**
 * The quorum's state as DescribeQuorum reports it.
 *
 * @param leaderId      the leader's node id, -1 when unknown
 * @param leaderEpoch   the Raft term
 * @param highWatermark the commit index
 * @param voters        every voter; the offsets are only known at the leader (-1 elsewhere)
 */
public record QuorumInfo(int leaderId, int leaderEpoch, long highWatermark, List<Voter> voters) {
    public QuorumInfo {
        voters = List.copyOf(voters);
    }

    /**
     * @param logEndOffset          the voter's match index (for the leader: its last log index)
     * @param lastFetchTimestamp    when the leader last heard from it (ms since epoch), -1 if unknown
     * @param lastCaughtUpTimestamp when it was last known to have everything committed, -1 if unknown
     */
    public record Voter(int id, long logEndOffset, long lastFetchTimestamp, long lastCaughtUpTimestamp) {
    }
}

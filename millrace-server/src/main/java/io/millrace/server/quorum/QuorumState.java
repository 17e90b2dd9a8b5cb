package io.millrace.server.quorum;

import java.util.List;

/**
 * The metadata quorum as its leader sees it.
 *
 * @param leaderId      the leader's node id, -1 when none is known
 * @param leaderEpoch   the leader's epoch (Ratis term), -1 when unknown
 * @param highWatermark the committed end of the metadata log
 * @param voters        the voting members
 * @param observers     members that replicate without voting
 */
public record QuorumState(int leaderId, int leaderEpoch, long highWatermark, List<ReplicaState> voters,
                          List<ReplicaState> observers) {
    public QuorumState {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }
}

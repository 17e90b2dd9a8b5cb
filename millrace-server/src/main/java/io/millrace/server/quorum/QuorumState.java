package io.millrace.server.quorum;

import io.millrace.metadata.records.BrokerEndpoint;
import java.util.List;
import java.util.Map;

/**
 * The metadata quorum as its leader sees it.
 *
 * @param leaderId      the leader's node id, -1 when none is known
 * @param leaderEpoch   the leader's epoch (Ratis term), -1 when unknown
 * @param highWatermark the committed end of the metadata log
 * @param voters        the voting members
 * @param observers     members that replicate without voting
 * @param voterEndpoints each voter's quorum (controller) endpoint, when known; a voter missing here
 *                       is described by its registered broker listeners
 */
public record QuorumState(int leaderId, int leaderEpoch, long highWatermark, List<ReplicaState> voters,
                          List<ReplicaState> observers, Map<Integer, BrokerEndpoint> voterEndpoints) {
    public QuorumState {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
        voterEndpoints = Map.copyOf(voterEndpoints);
    }

    public QuorumState(int leaderId, int leaderEpoch, long highWatermark, List<ReplicaState> voters,
                       List<ReplicaState> observers) {
        this(leaderId, leaderEpoch, highWatermark, voters, observers, Map.of());
    }
}

package io.millrace.quorum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Builds a {@link QuorumInfo} from what Ratis exposes: the role info (followers and the time
 * since each last answered the leader) and the followers' match indices, both in the leader's
 * log-appender order. Stateless.
 */
final class RatisQuorumInfo {
    private RatisQuorumInfo() {
    }

    static QuorumInfo describe(QuorumConfig config, RaftServer.Division division) {
        Map<Integer, QuorumInfo.Voter> voters = new HashMap<>();
        for (int id : config.voters().keySet()) {
            voters.put(id, new QuorumInfo.Voter(id, -1, -1, -1));
        }
        if (division == null) {
            return new QuorumInfo(-1, 0, -1, sorted(voters));
        }
        DivisionInfo info = division.getInfo();
        RaftPeerId leader = info.getLeaderId();
        int term = (int) info.getCurrentTerm();
        long commitIndex = division.getRaftLog().getLastCommittedIndex();
        if (info.isLeader()) {
            long now = System.currentTimeMillis();
            RoleInfoProto role = info.getRoleInfoProto();
            long[] matchIndices = info.getFollowerMatchIndices();
            List<ServerRpcProto> followers = role.hasLeaderInfo() ? role.getLeaderInfo().getFollowerInfoList() : List.of();
            for (int i = 0; i < followers.size(); i++) {
                ServerRpcProto follower = followers.get(i);
                int id = Integer.parseInt(follower.getId().getId().toStringUtf8());
                long match = i < matchIndices.length ? matchIndices[i] : -1;
                long lastFetch = now - follower.getLastRpcElapsedTimeMs();
                voters.put(id, new QuorumInfo.Voter(id, match, lastFetch, match >= commitIndex ? lastFetch : -1));
            }
            TermIndex last = division.getRaftLog().getLastEntryTermIndex();
            int self = config.nodeId();
            voters.put(self, new QuorumInfo.Voter(self, last == null ? -1 : last.getIndex(), now, now));
        }
        return new QuorumInfo(leader == null ? -1 : MetadataQuorum.nodeId(leader), term, commitIndex, sorted(voters));
    }

    private static List<QuorumInfo.Voter> sorted(Map<Integer, QuorumInfo.Voter> voters) {
        List<QuorumInfo.Voter> list = new ArrayList<>(voters.values());
        list.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return list;
    }
}

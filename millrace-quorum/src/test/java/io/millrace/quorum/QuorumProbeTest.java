package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.millrace.quorum.QuorumProbe.Answer;
import io.millrace.quorum.QuorumProbe.Answer.Kind;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftGroup;
import org.junit.jupiter.api.Test;

class QuorumProbeTest {
    private static final Map<Integer, InetSocketAddress> VOTERS = Map.of(
            1, InetSocketAddress.createUnresolved("127.0.0.1", 1),
            2, InetSocketAddress.createUnresolved("127.0.0.1", 2),
            3, InetSocketAddress.createUnresolved("127.0.0.1", 3));

    private final QuorumConfig config = QuorumConfig.of(1, VOTERS, Path.of("unused"), "clusterA");
    private final RaftGroup group = RaftGroup.valueOf(MetadataQuorum.groupId("clusterA"));
    private final QuorumProbe probe = new QuorumProbe(config, group, new Parameters());

    @Test
    void peersInTheSameGroupAreNoProblem() {
        assertNull(probe.problem(List.of(new Answer(2, Kind.SAME_GROUP, "g", "clusterA"),
                new Answer(3, Kind.NO_ANSWER, null, null))));
    }

    @Test
    void peersOfAnotherClusterAreNamedInOneLine() {
        String line = probe.problem(List.of(new Answer(2, Kind.OTHER_CLUSTER, "group-B", "clusterB"),
                new Answer(3, Kind.OTHER_CLUSTER, "group-B", "clusterB")));
        assertEquals("Metadata quorum: node 1 is in cluster clusterA (Raft group " + group.getGroupId()
                + ") but voters 2,3 answer for cluster clusterB (Raft group group-B); it has no majority and stays "
                + "fenced: give every node the same cluster.id (or storage format -t) and controller.quorum.voters",
                line);
    }

    @Test
    void noMajorityNamesTheSilentVoters() {
        assertEquals("Metadata quorum: node 1 cannot reach a majority of voters 1,2,3: no answer from 2,3",
                probe.problem(List.of(new Answer(3, Kind.NO_ANSWER, null, null),
                        new Answer(2, Kind.NO_ANSWER, null, null))));
    }

    @Test
    void aLastingProblemIsLoggedOnceAMinuteAndAgainWhenItChanges() {
        long minute = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        assertEquals(true, probe.report("split", 0));
        assertEquals(false, probe.report("split", minute / 6)); // the next probe, 10 s later
        assertEquals(false, probe.report("split", minute - 1));
        assertEquals(true, probe.report("split", minute));
        assertEquals(true, probe.report("no majority", minute + 1));
        assertEquals(true, probe.report(null, minute + 2)); // "again" once it is over
        assertEquals(false, probe.report(null, minute + 3));
    }
}

package io.millrace.quorum;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether this node's quorum peers are in its cluster, so that a misconfigured node
 * says so in one line instead of Ratis' stack traces for every refused vote. Every
 * {@value #PERIOD_SECONDS} s it asks each other voter which Raft groups it serves (Ratis' group
 * list); a peer serving another group is asked, by a stale read on that group, which cluster it is
 * in. When some voter answers for another cluster, or this node cannot reach a majority of voters
 * in its own group, it logs one WARN line naming the peers and the ids, again whenever the line
 * changes and at least once a minute while it lasts, and one INFO line when it is over.
 *
 * <p>Thread: one daemon, {@code millrace-quorum-probe}, owns all state. Lifecycle: {@link #start()},
 * {@link #close()}.
 */
final class QuorumProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuorumProbe.class);
    static final long PERIOD_SECONDS = 10;
    private static final long FIRST_DELAY_SECONDS = 5;
    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

    /** What one peer answered. */
    record Answer(int nodeId, Kind kind, String groupId, String clusterId) {
        enum Kind { SAME_GROUP, OTHER_CLUSTER, NO_ANSWER }
    }

    private final QuorumConfig config;
    private final RaftGroup group;
    private final Parameters rpc;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "millrace-quorum-probe");
        t.setDaemon(true);
        return t;
    });
    private RaftClient client;
    private String lastProblem;
    private long lastLoggedNanos;

    QuorumProbe(QuorumConfig config, RaftGroup group, Parameters rpc) {
        this.config = config;
        this.group = group;
        this.rpc = rpc;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::probeOnce, FIRST_DELAY_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void probeOnce() {
        try {
            report(problem(askPeers()), System.nanoTime());
        } catch (RuntimeException e) {
            log.debug("Metadata quorum probe failed", e);
        }
    }

    /** Logs {@code problem} (null: none) as of {@code now} (System.nanoTime); returns whether it logged. */
    boolean report(String problem, long now) {
        if (problem == null) {
            boolean wasProblem = lastProblem != null;
            if (wasProblem) {
                log.info("Metadata quorum: node {} reaches a majority of voters {} in cluster {} again",
                        config.nodeId(), config.voters().keySet(), config.clusterId());
            }
            lastProblem = null;
            return wasProblem;
        }
        if (!problem.equals(lastProblem) || now - lastLoggedNanos >= REPEAT_NANOS) {
            log.warn(problem);
            lastProblem = problem;
            lastLoggedNanos = now;
            return true;
        }
        return false;
    }

    private List<Answer> askPeers() {
        if (client == null) {
            client = client(group);
        }
        List<Answer> answers = new ArrayList<>();
        for (RaftPeer peer : group.getPeers()) {
            int id = MetadataQuorum.nodeId(peer.getId());
            if (id != config.nodeId() || !config.voter()) {
                answers.add(ask(id, peer));
            }
        }
        return answers;
    }

    private Answer ask(int id, RaftPeer peer) {
        List<RaftGroupId> groups;
        try {
            groups = client.getGroupManagementApi(peer.getId()).list().getGroupIds();
        } catch (IOException | RuntimeException e) {
            return new Answer(id, Answer.Kind.NO_ANSWER, null, null);
        }
        if (groups.contains(group.getGroupId())) {
            return new Answer(id, Answer.Kind.SAME_GROUP, group.getGroupId().toString(), config.clusterId());
        }
        if (groups.isEmpty()) {
            return new Answer(id, Answer.Kind.OTHER_CLUSTER, "none", "none");
        }
        RaftGroupId other = groups.get(0);
        return new Answer(id, Answer.Kind.OTHER_CLUSTER, other.toString(), clusterIdOf(peer, other));
    }

    /** The cluster id a peer serving {@code other} says it is in, or "unknown". */
    private String clusterIdOf(RaftPeer peer, RaftGroupId other) {
        try (RaftClient foreign = client(RaftGroup.valueOf(other, peer))) {
            // min index -1: a node that never committed anything (commit index -1) answers too
            RaftClientReply reply = foreign.io().sendStaleRead(QueryMessages.identity(), -1, peer.getId());
            if (reply.isSuccess()) {
                QueryMessages.Reply answer = QueryMessages.readReply(reply.getMessage().getContent());
                if (answer.error() == Errors.NONE) {
                    return QueryMessages.readIdentity(answer.payload()).clusterId();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Metadata quorum probe: node {} did not say its cluster id", peer.getId(), e);
        }
        return "unknown";
    }

    /** The one line to log about these answers, or null when there is nothing wrong. */
    String problem(List<Answer> answers) {
        int inGroup = config.voter() ? 1 : 0;
        List<Integer> silent = new ArrayList<>();
        Map<String, List<Integer>> foreign = new TreeMap<>();
        for (Answer a : answers) {
            switch (a.kind()) {
                case SAME_GROUP -> inGroup++;
                case NO_ANSWER -> silent.add(a.nodeId());
                case OTHER_CLUSTER -> foreign.computeIfAbsent("cluster " + a.clusterId() + " (Raft group " + a.groupId()
                        + ")", k -> new ArrayList<>()).add(a.nodeId());
            }
        }
        boolean majority = inGroup > config.voters().size() / 2;
        String self = "Metadata quorum: node " + config.nodeId();
        if (!foreign.isEmpty()) {
            String others = foreign.entrySet().stream()
                    .map(e -> (e.getValue().size() == 1 ? "voter " : "voters ") + ids(e.getValue())
                            + (e.getValue().size() == 1 ? " answers for " : " answer for ") + e.getKey())
                    .collect(Collectors.joining(" and "));
            return self + " is in cluster " + config.clusterId() + " (Raft group " + group.getGroupId() + ") but "
                    + others + (silent.isEmpty() ? "" : ", no answer from " + ids(silent))
                    + (majority ? "" : "; it has no majority and stays fenced")
                    + ": give every node the same cluster.id (or storage format -t) and controller.quorum.voters";
        }
        if (!majority) {
            return self + " cannot reach a majority of voters " + ids(new ArrayList<>(config.voters().keySet()))
                    + ": no answer from " + ids(silent);
        }
        return null;
    }

    private static String ids(List<Integer> ids) {
        return ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private RaftClient client(RaftGroup group) {
        return RaftClient.newBuilder()
                .setProperties(RaftSettings.client(ASK_TIMEOUT))
                .setParameters(rpc)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                log.debug("Closing the probe's Raft client failed", e);
            }
        }
    }
}

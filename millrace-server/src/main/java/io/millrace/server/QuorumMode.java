package io.millrace.server;

import io.millrace.common.config.BrokerConfig;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.quorum.MetadataQuorum;
import io.millrace.quorum.QuorumConfig;
import io.millrace.quorum.QuorumControllerChannel;
import io.millrace.quorum.QuorumInfo;
import io.millrace.quorum.QuorumTls;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.quorum.QuorumState;
import io.millrace.server.quorum.ReplicaState;
import io.millrace.server.security.ControllerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A node of a cluster whose metadata lives in a Raft quorum (Apache Ratis) of the
 * controller.quorum.voters. The cluster id, when neither configured nor formatted, derives from
 * the voters ({@link DerivedClusterId}), so every node of the same quorum agrees on it without a
 * format step. When the controller listener is SSL the quorum runs mutual TLS ({@link ControllerTls}).
 */
record QuorumMode(Map<Integer, InetSocketAddress> voters, boolean controller, String controllerListener,
                  InetSocketAddress raftBindAddress, QuorumTls tls)
        implements ClusterMode {
    private static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(15);

    static QuorumMode of(BrokerConfig config, String votersValue) {
        Map<Integer, InetSocketAddress> voters = QuorumConfig.parseVoters(votersValue);
        boolean controller = config.processRoles().contains("controller");
        if (controller && !voters.containsKey(config.nodeId())) {
            throw new IllegalArgumentException("node.id " + config.nodeId() + " has the controller role but is not among "
                    + "controller.quorum.voters " + voters.keySet());
        }
        if (!controller && voters.containsKey(config.nodeId())) {
            throw new IllegalArgumentException("node.id " + config.nodeId() + " is among controller.quorum.voters but "
                    + "process.roles " + config.processRoles() + " lacks 'controller'");
        }
        String listener = config.controllerListenerNames().isEmpty() ? "CONTROLLER"
                : config.controllerListenerNames().get(0);
        return new QuorumMode(voters, controller, listener, controller ? raftBindAddress(config) : null,
                ControllerTls.forQuorum(config));
    }

    /**
     * The address the Raft server binds: the node's controller listener when {@code listeners}
     * names one, as Kafka's controllers bind theirs (its voter entry is how the others reach it,
     * which is usually the same address); null to bind the voter entry itself.
     */
    private static InetSocketAddress raftBindAddress(BrokerConfig config) {
        return config.listeners().stream().filter(e -> config.controllerListenerNames().contains(e.listenerName()))
                .findFirst().map(e -> InetSocketAddress.createUnresolved(e.host() == null || e.host().isEmpty()
                        ? "0.0.0.0" : e.host(), e.port())).orElse(null);
    }

    @Override
    public boolean isSingleNode() {
        return false;
    }

    @Override
    public String derivedClusterId() {
        return DerivedClusterId.of(voters);
    }

    @Override
    public MetadataLog openMetadataLog(int nodeId, Path metadataDir, String clusterId, MetadataPublisher publisher) {
        return new MetadataQuorum(new QuorumConfig(nodeId, voters, metadataDir.resolve("raft"), clusterId, controller,
                QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD), publisher, raftBindAddress, tls);
    }

    @Override
    public ControllerChannel connect(MetadataLog log, MetadataController localController) {
        MetadataQuorum quorum = (MetadataQuorum) log;
        quorum.setLocalController(localController);
        try {
            quorum.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot join the metadata quorum " + voters, e);
        }
        return new QuorumControllerChannel(quorum, CONTROLLER_TIMEOUT);
    }

    @Override
    public IntSupplier activeControllerId(MetadataLog log, int nodeId) {
        MetadataQuorum quorum = (MetadataQuorum) log;
        return () -> quorum.leaderId().orElse(-1);
    }

    @Override
    public QuorumDescriber describer(MetadataLog log, int nodeId, MetadataPublisher publisher) {
        MetadataQuorum quorum = (MetadataQuorum) log;
        return () -> quorum.describeAtLeader().thenApply(this::toState);
    }

    private QuorumState toState(QuorumInfo info) {
        List<ReplicaState> voters = info.voters().stream().map(v -> new ReplicaState(v.id(), v.logEndOffset(),
                v.lastFetchTimestamp(), v.lastCaughtUpTimestamp())).toList();
        Map<Integer, BrokerEndpoint> endpoints = new java.util.HashMap<>();
        this.voters.forEach((id, address) -> endpoints.put(id, new BrokerEndpoint(controllerListener,
                address.getHostString(), address.getPort(), tls == null ? "PLAINTEXT" : "SSL")));
        return new QuorumState(info.leaderId(), info.leaderEpoch(), info.highWatermark(), voters, List.of(), endpoints);
    }

    @Override
    public String describe() {
        return controller ? ", a voter of the metadata quorum " + voters.keySet()
                : ", a broker of the metadata quorum " + voters.keySet();
    }
}

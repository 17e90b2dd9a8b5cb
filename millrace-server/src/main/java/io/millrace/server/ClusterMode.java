package io.millrace.server;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.MetadataController;
import io.millrace.metadata.journal.LocalMetadataJournal;
import io.millrace.metadata.log.LocalMetadataLog;
import io.millrace.metadata.log.MetadataLog;
import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.server.quorum.QuorumDescriber;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * How this node takes part in cluster metadata: on its own (no controller.quorum.voters: a local
 * journal, a quorum of one), or as a member of a Raft quorum (Apache Ratis) of the voters.
 */
sealed interface ClusterMode permits ClusterMode.SingleNode, QuorumMode {

    String QUORUM_BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";

    /**
     * The mode the configuration asks for. controller.quorum.bootstrap.servers without voters is
     * Kafka's dynamic quorum (KIP-853), which Millrace does not run: it is accepted only as
     * Kafka's standalone single node (one entry, this node's own controller listener) and refused
     * otherwise, rather than silently running a cluster of one.
     */
    static ClusterMode of(BrokerConfig config) {
        List<String> voters = config.getList(BrokerConfigs.CONTROLLER_QUORUM_VOTERS);
        if (voters != null && !voters.isEmpty()) {
            return QuorumMode.of(config, String.join(",", voters));
        }
        List<String> bootstrap = config.getList(QUORUM_BOOTSTRAP_SERVERS);
        if (bootstrap != null && !bootstrap.isEmpty() && !isOwnControllerListener(config, bootstrap)) {
            throw new IllegalArgumentException(QUORUM_BOOTSTRAP_SERVERS + "=" + String.join(",", bootstrap)
                    + " asks for a dynamic quorum (KIP-853), which Millrace does not support: list every voter in "
                    + "controller.quorum.voters=1@host1:port,2@host2:port,... on every node instead");
        }
        return new SingleNode();
    }

    private static boolean isOwnControllerListener(BrokerConfig config, List<String> bootstrap) {
        if (bootstrap.size() != 1) {
            return false;
        }
        String entry = bootstrap.get(0).trim();
        int colon = entry.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String port = entry.substring(colon + 1);
        return config.listeners().stream()
                .filter(e -> config.controllerListenerNames().contains(e.listenerName()))
                .anyMatch(e -> Integer.toString(e.port()).equals(port));
    }

    boolean isSingleNode();

    /** The cluster id to use when none is configured or stored: null for "make a new one". */
    String derivedClusterId();

    MetadataLog openMetadataLog(int nodeId, Path metadataDir, String clusterId, MetadataPublisher publisher);

    /** Binds the local controller to the log, joins the quorum, and answers how this node reaches the active controller. */
    ControllerChannel connect(MetadataLog log, MetadataController localController);

    IntSupplier activeControllerId(MetadataLog log, int nodeId);

    QuorumDescriber describer(MetadataLog log, int nodeId, MetadataPublisher publisher);

    /** A suffix for the start-up log line. */
    String describe();

    /** A node that is its own quorum. */
    record SingleNode() implements ClusterMode {
        @Override
        public boolean isSingleNode() {
            return true;
        }

        @Override
        public String derivedClusterId() {
            return null;
        }

        @Override
        public MetadataLog openMetadataLog(int nodeId, Path metadataDir, String clusterId, MetadataPublisher publisher) {
            return new LocalMetadataLog(new LocalMetadataJournal(metadataDir), publisher);
        }

        @Override
        public ControllerChannel connect(MetadataLog log, MetadataController localController) {
            return localController;
        }

        @Override
        public IntSupplier activeControllerId(MetadataLog log, int nodeId) {
            return () -> nodeId;
        }

        @Override
        public QuorumDescriber describer(MetadataLog log, int nodeId, MetadataPublisher publisher) {
            return QuorumDescriber.singleNode(nodeId, () -> publisher.image().recordCount());
        }

        @Override
        public String describe() {
            return "";
        }
    }
}

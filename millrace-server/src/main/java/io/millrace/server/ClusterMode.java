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

    /**
     * The mode the configuration asks for: a quorum when controller.quorum.voters is set, else a
     * single node. (controller.quorum.bootstrap.servers, Kafka's dynamic quorum, is refused at
     * start-up by UnsupportedSettings unless it names only this node, Kafka's standalone sample.)
     */
    static ClusterMode of(BrokerConfig config) {
        List<String> voters = config.getList(BrokerConfigs.CONTROLLER_QUORUM_VOTERS);
        return voters == null || voters.isEmpty() ? new SingleNode() : QuorumMode.of(config, String.join(",", voters));
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

package io.millrace.server.handlers;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.quorum.QuorumState;
import io.millrace.server.quorum.ReplicaState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.TopicData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeQuorum (KIP-595, KIP-836, KIP-853): the metadata quorum, {@code __cluster_metadata-0},
 * as the {@link QuorumDescriber} reports it. A request naming anything but exactly that partition
 * answers UNKNOWN_TOPIC_OR_PARTITION for what it named; a describer failure (no leader reachable)
 * is the partition's error. v1 adds the replicas' fetch and caught-up times; v2 the error messages
 * and the voters' endpoints ({@code nodes}: each voter's quorum endpoint from
 * controller.quorum.voters, as Kafka reports its controller listener, else its registered
 * listeners when the image knows them). Thread-safe; holds no mutable state.
 */
public final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequestData> {
    public static final String METADATA_TOPIC = "__cluster_metadata";
    private static final int METADATA_PARTITION = 0;
    private static final short FIRST_VERSION_WITH_NODES = 2;

    private final QuorumDescriber describer;
    private final MetadataView metadata;

    public DescribeQuorumHandler(QuorumDescriber describer, MetadataView metadata) {
        this.describer = describer;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<DescribeQuorumResponseData> handle(RequestContext context,
                                                                DescribeQuorumRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        short version = context.apiVersion();
        if (!asksForMetadataPartition(request)) {
            DescribeQuorumResponseData response = new DescribeQuorumResponseData();
            for (DescribeQuorumRequestData.TopicData topic : request.topics()) {
                TopicData out = new TopicData().setTopicName(topic.topicName());
                for (DescribeQuorumRequestData.PartitionData p : topic.partitions()) {
                    out.partitions().add(error(version, p.partitionIndex(), Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            "Only " + METADATA_TOPIC + "-" + METADATA_PARTITION + " can be described"));
                }
                response.topics().add(out);
            }
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<QuorumState> described;
        try {
            described = describer.describe();
        } catch (RuntimeException e) {
            described = CompletableFuture.failedFuture(e);
        }
        return described.handle((state, failure) -> {
            PartitionData partition;
            if (failure != null) {
                var error = ElectLeadersHandler.toError(failure);
                partition = error(version, METADATA_PARTITION, error.error(), error.message());
            } else {
                partition = describe(version, state);
            }
            DescribeQuorumResponseData response = new DescribeQuorumResponseData();
            response.topics().add(new TopicData().setTopicName(METADATA_TOPIC)
                    .setPartitions(new ArrayList<>(List.of(partition))));
            if (failure == null && version >= FIRST_VERSION_WITH_NODES) {
                addNodes(response, state, metadata.image());
            }
            return response;
        });
    }

    private static boolean asksForMetadataPartition(DescribeQuorumRequestData request) {
        return request.topics().size() == 1 && METADATA_TOPIC.equals(request.topics().get(0).topicName())
                && request.topics().get(0).partitions().size() == 1
                && request.topics().get(0).partitions().get(0).partitionIndex() == METADATA_PARTITION;
    }

    private static PartitionData describe(short version, QuorumState state) {
        return new PartitionData().setPartitionIndex(METADATA_PARTITION).setErrorCode(Errors.NONE.code())
                .setLeaderId(state.leaderId()).setLeaderEpoch(state.leaderEpoch())
                .setHighWatermark(state.highWatermark())
                .setCurrentVoters(replicas(version, state.voters()))
                .setObservers(replicas(version, state.observers()));
    }

    private static List<DescribeQuorumResponseData.ReplicaState> replicas(short version, List<ReplicaState> states) {
        List<DescribeQuorumResponseData.ReplicaState> out = new ArrayList<>();
        for (ReplicaState s : states) {
            DescribeQuorumResponseData.ReplicaState r = new DescribeQuorumResponseData.ReplicaState()
                    .setReplicaId(s.replicaId()).setLogEndOffset(s.logEndOffset());
            if (version >= 1) {
                r.setLastFetchTimestamp(s.lastFetchTimestamp()).setLastCaughtUpTimestamp(s.lastCaughtUpTimestamp());
            }
            out.add(r);
        }
        return out;
    }

    private static void addNodes(DescribeQuorumResponseData response, QuorumState state, MetadataImage image) {
        for (ReplicaState voter : state.voters()) {
            BrokerEndpoint quorumEndpoint = state.voterEndpoints().get(voter.replicaId());
            if (quorumEndpoint != null) {
                ListenerCollection listeners = new ListenerCollection();
                listeners.add(new Listener().setName(quorumEndpoint.listenerName()).setHost(quorumEndpoint.host())
                        .setPort(quorumEndpoint.port()));
                response.nodes().add(new Node().setNodeId(voter.replicaId()).setListeners(listeners));
                continue;
            }
            Optional<BrokerImage> broker = image.broker(voter.replicaId());
            if (broker.isEmpty() || response.nodes().find(voter.replicaId()) != null) {
                continue;
            }
            ListenerCollection listeners = new ListenerCollection();
            for (BrokerEndpoint e : broker.get().endpoints()) {
                listeners.add(new Listener().setName(e.listenerName()).setHost(e.host()).setPort(e.port()));
            }
            response.nodes().add(new Node().setNodeId(voter.replicaId()).setListeners(listeners));
        }
    }

    private static PartitionData error(short version, int partition, Errors error, String message) {
        PartitionData out = new PartitionData().setPartitionIndex(partition).setErrorCode(error.code())
                .setLeaderId(-1).setLeaderEpoch(-1).setHighWatermark(-1);
        if (version >= FIRST_VERSION_WITH_NODES) {
            out.setErrorMessage(message);
        }
        return out;
    }
}

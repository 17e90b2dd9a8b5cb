package io.millrace.server.share;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.CurrentLeaders;
import io.millrace.wire.batch.KafkaRecords;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Builds ShareFetch and ShareAcknowledge responses: partitions grouped by topic id, and for a
 * partition this broker does not lead, the current leader and its endpoint (so the client
 * re-routes without a metadata round trip, as KIP-951 does for Fetch). Stateless.
 */
final class ShareResponses {
    private final TopicNameResolver topics;

    ShareResponses(TopicNameResolver topics) {
        this.topics = topics;
    }

    PartitionData partition(TopicIdPartition tip) {
        return new PartitionData().setPartitionIndex(tip.partition()).setRecords(KafkaRecords.empty());
    }

    /** For NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH: who leads the partition now. */
    void leaderOf(PartitionData data, TopicPartition tp, Errors error) {
        if (error != Errors.NOT_LEADER_OR_FOLLOWER && error != Errors.FENCED_LEADER_EPOCH) {
            return;
        }
        CurrentLeaders.of(topics.image(), tp).ifPresent(leader -> data.setCurrentLeader(
                new ShareFetchResponseData.LeaderIdAndEpoch().setLeaderId(leader.leaderId())
                        .setLeaderEpoch(leader.leaderEpoch())));
    }

    ShareFetchResponseData fetchResponse(Map<TopicIdPartition, PartitionData> partitions, long lockMs,
                                         RequestContext context) {
        ShareFetchResponseData response = new ShareFetchResponseData().setAcquisitionLockTimeoutMs((int) lockMs);
        Set<Integer> leaders = new TreeSet<>();
        partitions.forEach((tip, data) -> {
            ShareFetchResponseData.ShareFetchableTopicResponse topic = response.responses().find(tip.topicId());
            if (topic == null) {
                topic = new ShareFetchResponseData.ShareFetchableTopicResponse().setTopicId(tip.topicId());
                response.responses().add(topic);
            }
            topic.partitions().add(data);
            Errors error = Errors.forCode(data.errorCode());
            if (error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH) {
                leaders.add(data.currentLeader().leaderId());
            }
        });
        MetadataImage image = topics.image();
        for (int leader : leaders) {
            CurrentLeaders.endpoint(image, leader, context.listenerName()).ifPresent(e -> response.nodeEndpoints()
                    .add(new ShareFetchResponseData.NodeEndpoint().setNodeId(e.nodeId()).setHost(e.host())
                            .setPort(e.port()).setRack(e.rack())));
        }
        return response;
    }

    ShareAcknowledgeResponseData acknowledgeResponse(Map<TopicIdPartition, Errors> results, long lockMs,
                                                     RequestContext context) {
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData()
                .setAcquisitionLockTimeoutMs((int) lockMs);
        Set<Integer> leaders = new TreeSet<>();
        MetadataImage image = topics.image();
        results.forEach((tip, error) -> {
            Uuid topicId = tip.topicId();
            ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse topic = response.responses().find(topicId);
            if (topic == null) {
                topic = new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(topicId);
                response.responses().add(topic);
            }
            ShareAcknowledgeResponseData.PartitionData data = new ShareAcknowledgeResponseData.PartitionData()
                    .setPartitionIndex(tip.partition()).setErrorCode(error.code());
            if ((error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH) && tip.topic() != null) {
                CurrentLeaders.of(image, tip.topicPartition()).ifPresent(leader -> {
                    data.setCurrentLeader(new ShareAcknowledgeResponseData.LeaderIdAndEpoch()
                            .setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch()));
                    leaders.add(leader.leaderId());
                });
            }
            topic.partitions().add(data);
        });
        for (int leader : leaders) {
            CurrentLeaders.endpoint(image, leader, context.listenerName()).ifPresent(e -> response.nodeEndpoints()
                    .add(new ShareAcknowledgeResponseData.NodeEndpoint().setNodeId(e.nodeId()).setHost(e.host())
                            .setPort(e.port()).setRack(e.rack())));
        }
        return response;
    }
}

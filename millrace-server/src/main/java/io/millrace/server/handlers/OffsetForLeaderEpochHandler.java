package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.EpochEndOffset;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch (KIP-101/KIP-320): for each partition, the largest leader epoch at or below
 * the one asked about and the offset where it ends in the leader's log, or (-1, -1) when the log
 * knows no such epoch. Consumers validating their position after a leader change and followers
 * ask it. Only the leader answers (NOT_LEADER_OR_FOLLOWER otherwise), except for the debugging
 * replica id -2 (the v2 default), which any replica may answer; {@code current_leader_epoch}
 * (-1 = not checked) fences stale callers. A follower needs CLUSTER_ACTION, a consumer DESCRIBE on
 * each topic. Stateless.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetForLeaderEpochRequestData> {
    private static final int DEBUGGING_REPLICA_ID = -2;

    private final PartitionAccess access;

    public OffsetForLeaderEpochHandler(PartitionAccess access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(RequestContext context,
                                                                      OffsetForLeaderEpochRequestData request) {
        if (request.replicaId() >= 0 && !context.authorization().allowsCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        boolean leaderOnly = request.replicaId() != DEBUGGING_REPLICA_ID;
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            response.topics().add(topicResult);
            boolean authorized = request.replicaId() >= 0
                    || context.authorization().allowsTopic(AclOperation.DESCRIBE, topic.topic());
            for (OffsetForLeaderPartition p : topic.partitions()) {
                topicResult.partitions().add(!authorized ? new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(p.partition()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setLeaderEpoch(-1).setEndOffset(-1) : answer(new TopicPartition(topic.topic(), p.partition()), p, leaderOnly));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset answer(TopicPartition tp, OffsetForLeaderPartition p,
                                                                   boolean leaderOnly) {
        OffsetForLeaderEpochResponseData.EpochEndOffset out = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(p.partition()).setLeaderEpoch(EpochEndOffset.UNDEFINED.epoch())
                .setEndOffset(EpochEndOffset.UNDEFINED.endOffset());
        PartitionAccess.EpochLookup lookup = access.endOffsetForEpoch(tp, p.currentLeaderEpoch(), p.leaderEpoch(),
                leaderOnly);
        return out.setErrorCode(lookup.error().code()).setLeaderEpoch(lookup.end().epoch())
                .setEndOffset(lookup.end().endOffset());
    }
}

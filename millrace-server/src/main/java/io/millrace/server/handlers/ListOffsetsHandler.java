package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.ListedOffset;
import io.millrace.server.partition.PartitionAccess;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: earliest (-2), latest (-1: the last stable offset for read_committed, else the
 * high watermark), max timestamp (-3), earliest local (-4), latest tiered (-5, none here) and the
 * first offset at or after a timestamp; {@link PartitionAccess#listOffset} decides. Needs DESCRIBE
 * on each topic (TOPIC_AUTHORIZATION_FAILED).
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {
    private static final byte READ_COMMITTED = 1;
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;

    private final PartitionAccess access;

    public ListOffsetsHandler(PartitionAccess access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestContext context, ListOffsetsRequestData request) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            response.topics().add(topicResponse);
            boolean authorized = context.authorization().allowsTopic(AclOperation.DESCRIBE, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : topic.partitions()) {
                ListOffsetsPartitionResponse answer = !authorized ? unauthorized(p) : answer(new TopicPartition(topic.name(), p.partitionIndex()), p,
                        request.replicaId() >= 0, request.isolationLevel() == READ_COMMITTED);
                if (context.apiVersion() < FIRST_VERSION_WITH_LEADER_EPOCH) {
                    answer.setLeaderEpoch(-1); // not in the schema before v4: must stay the default
                }
                topicResponse.partitions().add(answer);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static ListOffsetsPartitionResponse unauthorized(ListOffsetsRequestData.ListOffsetsPartition p) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setOffset(-1).setTimestamp(-1).setLeaderEpoch(-1);
    }

    /** {@code fromReplica}: a follower asks, which sees the whole log (latest = log end offset). */
    private ListOffsetsPartitionResponse answer(TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition p,
                                                boolean fromReplica, boolean readCommitted) {
        ListedOffset listed = access.listOffset(tp, p.currentLeaderEpoch(), p.timestamp(), readCommitted, fromReplica);
        return new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                .setErrorCode(listed.error().code()).setOffset(listed.offset()).setTimestamp(listed.timestamp())
                .setLeaderEpoch(listed.leaderEpoch());
    }
}

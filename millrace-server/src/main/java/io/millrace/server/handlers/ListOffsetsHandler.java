package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.OffsetAndTimestamp;
import io.millrace.storage.PartitionLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListOffsets: earliest (-2), latest (-1), max timestamp (-3), earliest local (-4), latest
 * tiered (-5, none here) and the first offset at or after a timestamp.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData> {
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;
    static final long LATEST_TIERED = -5L;
    static final long EARLIEST_PENDING_UPLOAD = -6L;
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
            for (ListOffsetsRequestData.ListOffsetsPartition p : topic.partitions()) {
                ListOffsetsPartitionResponse answer = answer(new TopicPartition(topic.name(), p.partitionIndex()), p,
                        request.replicaId() >= 0);
                if (context.apiVersion() < FIRST_VERSION_WITH_LEADER_EPOCH) {
                    answer.setLeaderEpoch(-1); // not in the schema before v4: must stay the default
                }
                topicResponse.partitions().add(answer);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    /** {@code fromReplica}: a follower asks, which sees the whole log (latest = log end offset). */
    private ListOffsetsPartitionResponse answer(TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition p,
                                                boolean fromReplica) {
        ListOffsetsPartitionResponse out = new ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex())
                .setOffset(-1).setTimestamp(-1).setLeaderEpoch(-1);
        PartitionAccess.Lookup lookup = access.leaderOf(tp, p.currentLeaderEpoch());
        if (lookup.error() != Errors.NONE) {
            return out.setErrorCode(lookup.error().code());
        }
        PartitionLog log = lookup.partition().log();
        int epoch = lookup.partition().leaderEpoch();
        long ts = p.timestamp();
        if (ts == LATEST) {
            return out.setOffset(fromReplica ? log.logEndOffset() : log.highWatermark()).setLeaderEpoch(epoch);
        }
        if (ts == EARLIEST || ts == EARLIEST_LOCAL) {
            return out.setOffset(log.logStartOffset()).setLeaderEpoch(epoch);
        }
        if (ts == LATEST_TIERED || ts == EARLIEST_PENDING_UPLOAD) {
            return out; // no tiered storage: no such offset
        }
        Optional<OffsetAndTimestamp> found;
        if (ts == MAX_TIMESTAMP) {
            found = log.maxTimestamp();
        } else if (ts < 0) {
            return out.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            found = log.offsetForTimestamp(ts);
        }
        return found.filter(f -> f.offset() < log.highWatermark())
                .map(f -> out.setOffset(f.offset()).setTimestamp(f.timestamp())
                        .setLeaderEpoch(f.leaderEpoch() >= 0 ? f.leaderEpoch() : epoch))
                .orElse(out);
    }
}

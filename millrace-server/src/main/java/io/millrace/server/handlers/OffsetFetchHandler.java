package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * OffsetFetch: several groups per request from v8, one before (translated to and from the
 * batched form here). Nothing committed answers offset -1 with NONE. With require_stable (v7+), a
 * partition whose offset an open transaction (TxnOffsetCommit) is about to change answers
 * UNSTABLE_OFFSET_COMMIT, per partition in every version, as Kafka does; the consumer retries.
 * Authorization: {@link OffsetFetchAuthorization}.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData> {
    private static final short BATCHED_VERSION = 8;
    private static final short TOP_LEVEL_ERROR_VERSION = 2;

    private final GroupCoordinatorService coordinator;
    private final TopicNameResolver topics;

    public OffsetFetchHandler(GroupCoordinatorService coordinator, TopicNameResolver topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestContext context, OffsetFetchRequestData request) {
        short version = context.apiVersion();
        if (version >= BATCHED_VERSION) {
            return fetch(context, request.groups(), request.requireStable())
                    .thenApply(groups -> new OffsetFetchResponseData().setGroups(new ArrayList<>(groups)));
        }
        List<OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes()));
            }
        }
        OffsetFetchRequestGroup group = new OffsetFetchRequestGroup().setGroupId(request.groupId()).setTopics(topics);
        return fetch(context, List.of(group), request.requireStable())
                .thenApply(groups -> single(groups.get(0), version));
    }

    private CompletableFuture<List<OffsetFetchResponseGroup>> fetch(RequestContext context,
                                                                     List<OffsetFetchRequestGroup> groups,
                                                                     boolean requireStable) {
        return OffsetFetchAuthorization.fetch(context.authorization(), topics, groups,
                allowed -> coordinator.fetchOffsets(GroupContexts.of(context), allowed, requireStable));
    }

    private static OffsetFetchResponseData single(OffsetFetchResponseGroup group, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        boolean failed = group.errorCode() != 0;
        if (version >= TOP_LEVEL_ERROR_VERSION) {
            response.setErrorCode(group.errorCode());
            if (failed) {
                return response;
            }
        }
        for (OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseTopic out = new OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponsePartitions p : topic.partitions()) {
                out.partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setCommittedOffset(p.committedOffset())
                        .setCommittedLeaderEpoch(version >= 5 ? p.committedLeaderEpoch() : -1)
                        .setMetadata(p.metadata()).setErrorCode(failed ? group.errorCode() : p.errorCode()));
            }
            response.topics().add(out);
        }
        return response;
    }
}

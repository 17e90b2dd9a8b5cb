package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit: topics by name, or by id from v10; metadata kept as given. Needs READ on the
 * group (else GROUP_AUTHORIZATION_FAILED for everything) and READ on each topic (else
 * TOPIC_AUTHORIZATION_FAILED for its partitions, the others are committed). Stateless.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData> {
    private final GroupCoordinatorService coordinator;
    private final TopicNameResolver topics;

    public OffsetCommitHandler(GroupCoordinatorService coordinator, TopicNameResolver topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext context, OffsetCommitRequestData request) {
        Authorization authorization = context.authorization();
        if (!authorization.enabled()) {
            return coordinator.commitOffsets(GroupContexts.of(context), request);
        }
        if (!authorization.allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        List<OffsetCommitRequestTopic> allowed = new ArrayList<>();
        List<OffsetCommitRequestTopic> denied = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            String name = topics.nameOf(topic.name(), topic.topicId());
            // an unknown id is the coordinator's to answer (UNKNOWN_TOPIC_ID)
            (name == null || authorization.allowsTopic(AclOperation.READ, name) ? allowed : denied).add(topic);
        }
        if (denied.isEmpty()) {
            return coordinator.commitOffsets(GroupContexts.of(context), request);
        }
        CompletableFuture<OffsetCommitResponseData> committed = allowed.isEmpty()
                ? CompletableFuture.completedFuture(new OffsetCommitResponseData())
                : coordinator.commitOffsets(GroupContexts.of(context), request.duplicate().setTopics(allowed));
        return committed.thenApply(response -> {
            for (OffsetCommitRequestTopic topic : denied) {
                OffsetCommitResponseTopic out = new OffsetCommitResponseTopic().setName(topic.name())
                        .setTopicId(topic.topicId());
                topic.partitions().forEach(p -> out.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                response.topics().add(out);
            }
            return response;
        });
    }
}

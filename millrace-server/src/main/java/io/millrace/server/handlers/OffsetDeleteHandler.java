package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetDelete: removes a group's offsets of topics it does not consume. Needs DELETE on the group
 * and READ on each topic (else TOPIC_AUTHORIZATION_FAILED for its partitions). Stateless.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData> {
    private final GroupCoordinatorService coordinator;

    public OffsetDeleteHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestContext context, OffsetDeleteRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.DELETE, request.groupId())) {
            return CompletableFuture.failedFuture(Errors.GROUP_AUTHORIZATION_FAILED.exception());
        }
        List<OffsetDeleteRequestTopic> denied = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            if (!context.authorization().allowsTopic(AclOperation.READ, topic.name())) {
                denied.add(topic);
            }
        }
        if (denied.isEmpty()) {
            return coordinator.deleteOffsets(request);
        }
        OffsetDeleteRequestData allowed = request.duplicate();
        allowed.topics().removeIf(t -> denied.stream().anyMatch(d -> d.name().equals(t.name())));
        CompletableFuture<OffsetDeleteResponseData> deleted = allowed.topics().isEmpty()
                ? CompletableFuture.completedFuture(new OffsetDeleteResponseData()) : coordinator.deleteOffsets(allowed);
        return deleted.thenApply(response -> {
            for (OffsetDeleteRequestTopic topic : denied) {
                OffsetDeleteResponseTopic out = new OffsetDeleteResponseTopic().setName(topic.name());
                topic.partitions().forEach(p -> out.partitions().add(new OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                response.topics().add(out);
            }
            return response;
        });
    }
}

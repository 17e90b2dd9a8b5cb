package io.millrace.server.handlers;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.consumer.ConsumerGroupApis;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat (KIP-848, {@code group.protocol=consumer}): runs the heartbeat as a
 * write on the coordinator shard of the group. Errors of the coordinator itself
 * (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS) become the response's error code, which the
 * client retries after finding the coordinator again. Needs READ on the group and DESCRIBE on
 * every subscribed topic (else TOPIC_AUTHORIZATION_FAILED naming them). A regex subscription is
 * not refused: the coordinator resolves it to the matching topics the principal may DESCRIBE
 * (the request's {@code TopicVisibility}, see {@link GroupContexts}), as Kafka 4.4 does.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequestData> {
    private final GroupCoordinatorService coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context,
                                                                        ConsumerGroupHeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST, "GroupId can't be empty."));
        }
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(error(Errors.GROUP_AUTHORIZATION_FAILED, null));
        }
        if (request.subscribedTopicNames() != null) {
            List<String> denied = request.subscribedTopicNames().stream()
                    .filter(t -> !context.authorization().allowsTopic(AclOperation.DESCRIBE, t)).sorted().toList();
            if (!denied.isEmpty()) {
                return CompletableFuture.completedFuture(error(Errors.TOPIC_AUTHORIZATION_FAILED,
                        "The group is not authorized to describe topics " + denied));
            }
        }
        GroupRequestContext group = GroupContexts.of(context);
        return coordinator.write(request.groupId(), "consumer-group-heartbeat",
                        shard -> ConsumerGroupApis.heartbeat(shard, group, request))
                .exceptionally(t -> error(errorOf(t), null));
    }

    /** The error code a failed coordinator operation becomes. */
    static Errors errorOf(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
    }

    private static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}

package io.millrace.server.handlers;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.streams.StreamsGroupApis;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.coordinator.GroupContexts;
import io.millrace.server.coordinator.StreamsInternalTopics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * StreamsGroupHeartbeat (KIP-1071, {@code group.protocol=streams}): the heartbeat runs as a write
 * on the group's coordinator shard; the internal topics it finds missing are then created
 * (the member is told MISSING_INTERNAL_TOPICS and heartbeats again). Coordinator errors become the
 * response's error code. Version 1's TopologyDescriptionRequired is never set: no topology
 * description plugin runs here, so clients never send StreamsGroupTopologyDescriptionUpdate.
 * Needs READ on the group; the topology's topics are checked by {@link StreamsTopologyAuthorization}.
 */
public final class StreamsGroupHeartbeatHandler implements ApiHandler<StreamsGroupHeartbeatRequestData> {
    private final GroupCoordinatorService coordinator;
    private final StreamsInternalTopics internalTopics;

    public StreamsGroupHeartbeatHandler(GroupCoordinatorService coordinator, StreamsInternalTopics internalTopics) {
        this.coordinator = coordinator;
        this.internalTopics = internalTopics;
    }

    /** The versions written here (a newer kafka-clients must not advertise more by itself). */
    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.STREAMS_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<StreamsGroupHeartbeatResponseData> handle(RequestContext context,
                                                                       StreamsGroupHeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("GroupId can't be empty."));
        }
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        List<String> undescribable = StreamsTopologyAuthorization.undescribable(context.authorization(), request.topology());
        if (!undescribable.isEmpty()) {
            return CompletableFuture.completedFuture(new StreamsGroupHeartbeatResponseData()
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("The following topics are not authorized: " + String.join(", ", undescribable)));
        }
        GroupRequestContext group = GroupContexts.of(context);
        return coordinator.write(request.groupId(), "streams-group-heartbeat",
                        shard -> StreamsGroupApis.heartbeat(shard, group, request))
                .thenApply(outcome -> {
                    if (!outcome.topicsToCreate().isEmpty() && StreamsTopologyAuthorization.mayCreate(
                            context.authorization(), outcome.topicsToCreate(), outcome.response())) {
                        internalTopics.create(outcome.topicsToCreate());
                    }
                    return forVersion(outcome.response(), context.apiVersion());
                })
                .exceptionally(t -> new StreamsGroupHeartbeatResponseData()
                        .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code()));
    }

    /** The recovery lag is an int32 field in v0 and an int64 one from v1: only the version's own is set. */
    private static StreamsGroupHeartbeatResponseData forVersion(StreamsGroupHeartbeatResponseData response,
                                                                short version) {
        StreamsGroupHeartbeatResponseData defaults = new StreamsGroupHeartbeatResponseData();
        return version == 0 ? response.setAcceptableRecoveryLag(defaults.acceptableRecoveryLag())
                : response.setAcceptableRecoveryLagLegacy(defaults.acceptableRecoveryLagLegacy());
    }
}

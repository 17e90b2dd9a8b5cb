package io.millrace.server.handlers;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.controller.command.ElectLeaders.TopicPartitionRef;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ElectLeaders (KIP-460): asks the controller to elect preferred (type 0) or, from v1, unclean
 * (type 1) leaders, for the listed partitions or, when the list is null, for every partition (the
 * answer then lists only the partitions whose leader changed or failed to). Per-partition results
 * such as ELECTION_NOT_NEEDED come from the controller. When the controller cannot be reached or
 * does not answer within the request's timeout, every listed partition carries that error, and from
 * v1 the top-level error code too. Thread-safe; holds no mutable state.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequestData> {
    private static final short FIRST_VERSION_WITH_TOP_LEVEL_ERROR = 1;

    private final ControllerChannel controller;

    public ElectLeadersHandler(ControllerChannel controller) {
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<ElectLeadersResponseData> handle(RequestContext context, ElectLeadersRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.ALTER)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        byte type = context.apiVersion() >= 1 ? request.electionType() : ElectLeaders.PREFERRED;
        List<TopicPartitionRef> wanted = request.topicPartitions() == null ? null : refs(request);
        if (type != ElectLeaders.PREFERRED && type != ElectLeaders.UNCLEAN) {
            return CompletableFuture.completedFuture(failed(context, wanted,
                    ApiError.of(Errors.INVALID_REQUEST, "Unknown election type " + type)));
        }
        if (wanted != null && wanted.isEmpty()) {
            return CompletableFuture.completedFuture(new ElectLeadersResponseData());
        }
        return controller.submit(new ElectLeaders(type, wanted))
                .orTimeout(Math.max(1, request.timeoutMs()), TimeUnit.MILLISECONDS)
                .handle((reply, failure) -> failure != null ? failed(context, wanted, toError(failure))
                        : respond(reply.results()));
    }

    private static List<TopicPartitionRef> refs(ElectLeadersRequestData request) {
        List<TopicPartitionRef> refs = new ArrayList<>();
        for (TopicPartitions topic : request.topicPartitions()) {
            for (int partition : topic.partitions()) {
                TopicPartitionRef ref = new TopicPartitionRef(topic.topic(), partition);
                if (!refs.contains(ref)) {
                    refs.add(ref);
                }
            }
        }
        return refs;
    }

    private static ElectLeadersResponseData respond(List<ElectLeaders.Result> results) {
        Map<String, List<PartitionResult>> byTopic = new LinkedHashMap<>();
        for (ElectLeaders.Result r : results) {
            byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(new PartitionResult()
                    .setPartitionId(r.partition()).setErrorCode(r.error().error().code())
                    .setErrorMessage(r.error().isSuccess() ? null : r.error().message()));
        }
        ElectLeadersResponseData response = new ElectLeadersResponseData().setErrorCode(Errors.NONE.code());
        byTopic.forEach((topic, partitions) -> response.replicaElectionResults()
                .add(new ReplicaElectionResult().setTopic(topic).setPartitionResult(partitions)));
        return response;
    }

    private static ElectLeadersResponseData failed(RequestContext context, List<TopicPartitionRef> wanted,
                                                   ApiError error) {
        List<ElectLeaders.Result> results = new ArrayList<>();
        if (wanted != null) {
            for (TopicPartitionRef ref : wanted) {
                results.add(new ElectLeaders.Result(ref.topic(), ref.partition(), error));
            }
        }
        ElectLeadersResponseData response = respond(results);
        if (context.apiVersion() >= FIRST_VERSION_WITH_TOP_LEVEL_ERROR) {
            response.setErrorCode(error.error().code());
        }
        return response;
    }

    static ApiError toError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return ApiError.of(Errors.REQUEST_TIMED_OUT, "The controller did not answer in time");
        }
        Errors error = Errors.forException(cause);
        return ApiError.of(error, cause.getMessage() != null ? cause.getMessage() : error.message());
    }
}

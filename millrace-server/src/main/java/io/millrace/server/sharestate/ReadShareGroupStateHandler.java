package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ReadShareGroupState (API 84) v0, between brokers: a share-partition leader reads the state it
 * starts from; older leader epochs are fenced (FENCED_LEADER_EPOCH), a state never written answers
 * start offset -1. Stateless.
 */
public final class ReadShareGroupStateHandler implements ApiHandler<ReadShareGroupStateRequestData> {
    private final ShareCoordinatorService coordinator;

    public ReadShareGroupStateHandler(ShareCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<ReadShareGroupStateResponseData> handle(RequestContext context,
                                                                     ReadShareGroupStateRequestData request) {
        PerPartition results = new PerPartition();
        request.topics().forEach(t -> t.partitions().forEach(p -> results.add(t.topicId(), p.partition(),
                coordinator.read(new ShareStateKey(request.groupId(), t.topicId(), p.partition()), p.leaderEpoch()))));
        return results.all().thenApply(list -> {
            ReadShareGroupStateResponseData response = new ReadShareGroupStateResponseData();
            for (PerPartition.Result r : list) {
                ReadShareGroupStateResponseData.ReadStateResult topic = response.results().stream()
                        .filter(x -> x.topicId().equals(r.topicId())).findFirst().orElseGet(() -> {
                            ReadShareGroupStateResponseData.ReadStateResult added =
                                    new ReadShareGroupStateResponseData.ReadStateResult().setTopicId(r.topicId());
                            response.results().add(added);
                            return added;
                        });
                topic.partitions().add(ShareStateWire.readResult(r.partition(), r.result()));
            }
            return response;
        });
    }
}

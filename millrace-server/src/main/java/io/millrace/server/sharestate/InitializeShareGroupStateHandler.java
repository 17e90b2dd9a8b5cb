package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.InitializeShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * InitializeShareGroupState (API 83) v0, between brokers: a new state epoch and start offset for
 * a share-partition, dropping what was in flight; a state epoch not above the kept one is
 * FENCED_STATE_EPOCH. Stateless.
 */
public final class InitializeShareGroupStateHandler implements ApiHandler<InitializeShareGroupStateRequestData> {
    private final ShareCoordinatorService coordinator;

    public InitializeShareGroupStateHandler(ShareCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INITIALIZE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<InitializeShareGroupStateResponseData> handle(RequestContext context,
                                                                           InitializeShareGroupStateRequestData request) {
        PerPartition results = new PerPartition();
        request.topics().forEach(t -> t.partitions().forEach(p -> results.add(t.topicId(), p.partition(),
                coordinator.initialize(new ShareStateKey(request.groupId(), t.topicId(), p.partition()),
                        p.stateEpoch(), p.startOffset()))));
        return results.all().thenApply(list -> {
            InitializeShareGroupStateResponseData response = new InitializeShareGroupStateResponseData();
            for (PerPartition.Result r : list) {
                InitializeShareGroupStateResponseData.InitializeStateResult topic = response.results().stream()
                        .filter(x -> x.topicId().equals(r.topicId())).findFirst().orElseGet(() -> {
                            InitializeShareGroupStateResponseData.InitializeStateResult added =
                                    new InitializeShareGroupStateResponseData.InitializeStateResult()
                                            .setTopicId(r.topicId());
                            response.results().add(added);
                            return added;
                        });
                topic.partitions().add(new InitializeShareGroupStateResponseData.PartitionResult()
                        .setPartition(r.partition()).setErrorCode(r.result().error().code()));
            }
            return response;
        });
    }
}

package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.DeleteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** DeleteShareGroupState (API 86) v0, between brokers: forgets share-partition states. Stateless. */
public final class DeleteShareGroupStateHandler implements ApiHandler<DeleteShareGroupStateRequestData> {
    private final ShareCoordinatorService coordinator;

    public DeleteShareGroupStateHandler(ShareCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<DeleteShareGroupStateResponseData> handle(RequestContext context,
                                                                       DeleteShareGroupStateRequestData request) {
        PerPartition results = new PerPartition();
        request.topics().forEach(t -> t.partitions().forEach(p -> results.add(t.topicId(), p.partition(),
                coordinator.delete(new ShareStateKey(request.groupId(), t.topicId(), p.partition())))));
        return results.all().thenApply(list -> {
            DeleteShareGroupStateResponseData response = new DeleteShareGroupStateResponseData();
            for (PerPartition.Result r : list) {
                DeleteShareGroupStateResponseData.DeleteStateResult topic = response.results().stream()
                        .filter(x -> x.topicId().equals(r.topicId())).findFirst().orElseGet(() -> {
                            DeleteShareGroupStateResponseData.DeleteStateResult added =
                                    new DeleteShareGroupStateResponseData.DeleteStateResult().setTopicId(r.topicId());
                            response.results().add(added);
                            return added;
                        });
                topic.partitions().add(new DeleteShareGroupStateResponseData.PartitionResult()
                        .setPartition(r.partition()).setErrorCode(r.result().error().code()));
            }
            return response;
        });
    }
}

package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.message.WriteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * WriteShareGroupState (API 85) v0–v1, between brokers: a share-partition leader writes its state
 * (Millrace's leaders send the whole in-flight state, which replaces the one kept; see
 * ShareCoordinatorShard). Older state or leader epochs are fenced. Stateless.
 */
public final class WriteShareGroupStateHandler implements ApiHandler<WriteShareGroupStateRequestData> {
    private final ShareCoordinatorService coordinator;

    public WriteShareGroupStateHandler(ShareCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<WriteShareGroupStateResponseData> handle(RequestContext context,
                                                                      WriteShareGroupStateRequestData request) {
        PerPartition results = new PerPartition();
        request.topics().forEach(t -> t.partitions().forEach(p -> results.add(t.topicId(), p.partition(),
                coordinator.write(new ShareStateKey(request.groupId(), t.topicId(), p.partition()),
                        ShareStateWire.fromWrite(p)))));
        return results.all().thenApply(list -> {
            WriteShareGroupStateResponseData response = new WriteShareGroupStateResponseData();
            for (PerPartition.Result r : list) {
                WriteShareGroupStateResponseData.WriteStateResult topic = response.results().stream()
                        .filter(x -> x.topicId().equals(r.topicId())).findFirst().orElseGet(() -> {
                            WriteShareGroupStateResponseData.WriteStateResult added =
                                    new WriteShareGroupStateResponseData.WriteStateResult().setTopicId(r.topicId());
                            response.results().add(added);
                            return added;
                        });
                topic.partitions().add(new WriteShareGroupStateResponseData.PartitionResult()
                        .setPartition(r.partition()).setErrorCode(r.result().error().code()));
            }
            return response;
        });
    }
}

package io.millrace.server.sharestate;

import io.millrace.coordinator.sharestate.ShareCoordinatorService;
import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ReadShareGroupStateSummary (API 87) v0–v1, between brokers: a share-partition's start offset and
 * epochs (for DescribeShareGroupOffsets); -1 for a state never written. The delivery-complete
 * count (v1) is not kept: -1, its default. Stateless.
 */
public final class ReadShareGroupStateSummaryHandler implements ApiHandler<ReadShareGroupStateSummaryRequestData> {
    private final ShareCoordinatorService coordinator;

    public ReadShareGroupStateSummaryHandler(ShareCoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY;
    }

    @Override
    public CompletableFuture<ReadShareGroupStateSummaryResponseData> handle(
            RequestContext context, ReadShareGroupStateSummaryRequestData request) {
        PerPartition results = new PerPartition();
        request.topics().forEach(t -> t.partitions().forEach(p -> results.add(t.topicId(), p.partition(),
                coordinator.summary(new ShareStateKey(request.groupId(), t.topicId(), p.partition())))));
        return results.all().thenApply(list -> {
            ReadShareGroupStateSummaryResponseData response = new ReadShareGroupStateSummaryResponseData();
            for (PerPartition.Result r : list) {
                ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult topic = response.results().stream()
                        .filter(x -> x.topicId().equals(r.topicId())).findFirst().orElseGet(() -> {
                            ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult added =
                                    new ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult()
                                            .setTopicId(r.topicId());
                            response.results().add(added);
                            return added;
                        });
                ShareSnapshot snapshot = r.result().error() == Errors.NONE ? r.result().snapshot() : null;
                topic.partitions().add(new ReadShareGroupStateSummaryResponseData.PartitionResult()
                        .setPartition(r.partition()).setErrorCode(r.result().error().code())
                        .setStateEpoch(snapshot == null ? 0 : snapshot.stateEpoch())
                        .setLeaderEpoch(snapshot == null ? -1 : snapshot.leaderEpoch())
                        .setStartOffset(snapshot == null ? -1 : snapshot.startOffset()));
            }
            return response;
        });
    }
}

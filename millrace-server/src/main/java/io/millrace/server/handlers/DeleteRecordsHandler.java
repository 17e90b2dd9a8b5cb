package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.PartitionLog;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteRecords: moves each partition's log start offset forward (-1 means the high watermark). */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {
    private static final long TO_HIGH_WATERMARK = -1L;

    private final PartitionAccess access;

    public DeleteRecordsHandler(PartitionAccess access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(RequestContext context,
                                                               DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            response.topics().add(topicResult);
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex()).setLowWatermark(-1);
                topicResult.partitions().add(result);
                PartitionAccess.Lookup lookup = access.leaderOf(new TopicPartition(topic.name(), p.partitionIndex()), -1);
                if (lookup.error() != Errors.NONE) {
                    result.setErrorCode(lookup.error().code());
                    continue;
                }
                PartitionLog log = lookup.partition().log();
                long offset = p.offset() == TO_HIGH_WATERMARK ? log.highWatermark() : p.offset();
                if (offset < 0 || offset > log.highWatermark()) {
                    result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
                    continue;
                }
                try {
                    result.setLowWatermark(log.deleteRecordsBefore(offset));
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code());
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}

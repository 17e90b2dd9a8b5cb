package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords: moves each partition's log start offset forward (-1 means the high watermark).
 * Needs DELETE on the topic. Stateless.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData> {
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
            boolean authorized = context.authorization().allowsTopic(AclOperation.DELETE, topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : topic.partitions()) {
                DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex()).setLowWatermark(-1);
                topicResult.partitions().add(result);
                if (!authorized) {
                    result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                    continue;
                }
                PartitionAccess.DeletedRecords deleted = access.deleteRecordsBefore(
                        new TopicPartition(topic.name(), p.partitionIndex()), p.offset());
                result.setErrorCode(deleted.error().code()).setLowWatermark(deleted.lowWatermark());
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}

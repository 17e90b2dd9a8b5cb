package io.millrace.server.handlers;

import io.millrace.metadata.controller.TopicNames;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.AppendOutcome;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** Produce: appends each partition's batches through {@link PartitionAccess}. */
public final class ProduceHandler implements ApiHandler<ProduceRequestData> {
    private final TopicNameResolver topics;
    private final PartitionAccess access;

    public ProduceHandler(TopicNameResolver topics, PartitionAccess access) {
        this.topics = topics;
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
        short acks = request.acks();
        boolean validAcks = acks == -1 || acks == 0 || acks == 1;
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse()
                    .setName(topic.name()).setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            Optional<TopicImage> image = topics.find(topic.name(), topic.topicId());
            for (ProduceRequestData.PartitionProduceData data : topic.partitionData()) {
                PartitionProduceResponse partition = new PartitionProduceResponse().setIndex(data.index());
                topicResponse.partitionResponses().add(partition);
                if (!validAcks) {
                    fail(partition, Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, was " + acks);
                } else if (image.isEmpty()) {
                    boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
                    fail(partition, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
                } else if (TopicNames.isInternal(image.get().name())) {
                    fail(partition, Errors.INVALID_TOPIC_EXCEPTION,
                            "Cannot append to internal topic " + image.get().name());
                } else if (data.records() == null) {
                    fail(partition, Errors.INVALID_RECORD, "No records in the request");
                } else {
                    ByteBuffer records = KafkaRecords.bufferOf(data.records());
                    TopicPartition tp = new TopicPartition(image.get().name(), data.index());
                    AppendOutcome outcome = access.append(tp, records, acks);
                    if (outcome.error() != Errors.NONE) {
                        fail(partition, outcome.error(), outcome.message());
                    } else {
                        partition.setBaseOffset(outcome.result().firstOffset())
                                .setLogAppendTimeMs(outcome.result().logAppendTime())
                                .setLogStartOffset(outcome.result().logStartOffset());
                    }
                }
            }
        }
        if (acks == 0) {
            // No response will be read: a failed partition must close the connection instead, so
            // the producer notices and refreshes its metadata (as Kafka does).
            for (TopicProduceResponse topic : response.responses()) {
                for (PartitionProduceResponse partition : topic.partitionResponses()) {
                    if (partition.errorCode() != Errors.NONE.code()) {
                        Errors error = Errors.forCode(partition.errorCode());
                        return CompletableFuture.failedFuture(error.exception(partition.errorMessage()));
                    }
                }
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static void fail(PartitionProduceResponse partition, Errors error, String message) {
        partition.setErrorCode(error.code()).setErrorMessage(message)
                .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
    }
}

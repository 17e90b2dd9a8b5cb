package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.storage.ActiveProducer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers (KIP-664, what {@code kafka-transactions.sh describe-producers} and
 * {@code find-hanging} ask each partition leader): for every requested partition this broker leads,
 * the idempotent and transactional producers its producer state keeps (id, epoch, last sequence,
 * last timestamp, coordinator epoch of the last marker, first offset of the open transaction);
 * NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION otherwise ({@link
 * PartitionAccess#activeProducers}). Needs READ on the topic. Stateless.
 */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequestData> {
    private final PartitionAccess access;

    public DescribeProducersHandler(PartitionAccess access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<DescribeProducersResponseData> handle(RequestContext context,
                                                                  DescribeProducersRequestData request) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (TopicRequest topic : request.topics()) {
            TopicResponse out = new TopicResponse().setName(topic.name());
            response.topics().add(out);
            if (!context.authorization().allowsTopic(AclOperation.READ, topic.name())) {
                topic.partitionIndexes().forEach(p -> out.partitions().add(new PartitionResponse().setPartitionIndex(p)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                continue;
            }
            for (int partition : topic.partitionIndexes()) {
                PartitionAccess.ActiveProducers found = access.activeProducers(new TopicPartition(topic.name(), partition));
                PartitionResponse result = new PartitionResponse().setPartitionIndex(partition)
                        .setErrorCode(found.error().code());
                if (found.error() == Errors.NONE) {
                    for (ActiveProducer p : found.producers()) {
                        result.activeProducers().add(new ProducerState().setProducerId(p.producerId())
                                .setProducerEpoch(p.producerEpoch()).setLastSequence(p.lastSequence())
                                .setLastTimestamp(p.lastTimestamp()).setCoordinatorEpoch(p.coordinatorEpoch())
                                .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
                    }
                } else {
                    result.setErrorMessage(found.error().message());
                }
                out.partitions().add(result);
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}

package io.millrace.server.network;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** Small handlers that the socket server tests register beside ApiVersionsHandler. */
final class TestHandlers {
    static final String CLUSTER_ID = "test-cluster";
    static final int NODE_ID = 1;

    private TestHandlers() {
    }

    /** Metadata naming this broker as the only node; every asked-for topic is unknown. */
    record Metadata(IntSupplier port) implements ApiHandler<MetadataRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.METADATA;
        }

        @Override
        public CompletableFuture<MetadataResponseData> handle(RequestContext context, MetadataRequestData request) {
            MetadataResponseData response = new MetadataResponseData().setClusterId(CLUSTER_ID).setControllerId(NODE_ID);
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(NODE_ID).setHost("127.0.0.1").setPort(port().getAsInt()));
            if (request.topics() != null) {
                for (MetadataRequestData.MetadataRequestTopic topic : request.topics()) {
                    response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(topic.name())
                            .setTopicId(Uuid.ZERO_UUID).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            return CompletableFuture.completedFuture(response);
        }
    }

    /** Answers after a random delay of up to 2 ms on another thread. */
    record DelayedHeartbeat() implements ApiHandler<HeartbeatRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.HEARTBEAT;
        }

        @Override
        public CompletableFuture<HeartbeatResponseData> handle(RequestContext context, HeartbeatRequestData request) {
            long delayMicros = ThreadLocalRandom.current().nextLong(2_000);
            return CompletableFuture.supplyAsync(HeartbeatResponseData::new,
                    CompletableFuture.delayedExecutor(delayMicros, TimeUnit.MICROSECONDS));
        }
    }

    /** Throws from handle(). */
    record ThrowingListGroups() implements ApiHandler<ListGroupsRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.LIST_GROUPS;
        }

        @Override
        public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
            throw new IllegalStateException("simulated handler bug");
        }
    }

    /** Completes exceptionally with a protocol error. */
    record FailingFindCoordinator() implements ApiHandler<FindCoordinatorRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.FIND_COORDINATOR;
        }

        @Override
        public CompletableFuture<FindCoordinatorResponseData> handle(RequestContext context,
                                                                     FindCoordinatorRequestData request) {
            return CompletableFuture.failedFuture(new CoordinatorNotAvailableException("not loaded yet"));
        }
    }

    /** Answers with the response of another API. */
    record WrongTypeDescribeGroups() implements ApiHandler<DescribeGroupsRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_GROUPS;
        }

        @Override
        public CompletableFuture<ApiMessage> handle(RequestContext context, DescribeGroupsRequestData request) {
            return CompletableFuture.completedFuture(new HeartbeatResponseData());
        }
    }

    /** Sends nothing for acks=0, an empty response otherwise. */
    record Produce() implements ApiHandler<ProduceRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.PRODUCE;
        }

        @Override
        public CompletableFuture<ProduceResponseData> handle(RequestContext context, ProduceRequestData request) {
            return CompletableFuture.completedFuture(request.acks() == 0 ? null : new ProduceResponseData());
        }
    }

    /** Never answers: a request parked in a handler when the server closes. */
    record NeverDescribeAcls() implements ApiHandler<DescribeAclsRequestData> {
        @Override
        public ApiKeys apiKey() {
            return ApiKeys.DESCRIBE_ACLS;
        }

        @Override
        public CompletableFuture<DescribeAclsResponseData> handle(RequestContext context, DescribeAclsRequestData request) {
            return new CompletableFuture<>();
        }
    }
}

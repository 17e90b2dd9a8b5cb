package io.millrace.server.handlers;

import static io.millrace.server.handlers.TestGrants.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.common.Time;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.handlers.TestGrants.Grants;
import io.millrace.server.share.ShareAcknowledgeHandler;
import io.millrace.server.share.ShareFetchHandler;
import io.millrace.server.sharestate.ClusterActionOnly;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The share-group APIs check what Kafka 4.4 checks before they touch any state (the handlers are
 * built without a coordinator: a request that got past its check would fail on it), and a
 * described group naming a topic its describer may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED.
 */
class ShareAuthorizationTest {
    private static final Grants NOTHING = new Grants();

    @Test
    void aShareGroupMemberNeedsReadOnTheGroupAndDescribeOnItsTopics() {
        ShareGroupHeartbeatHandler handler = new ShareGroupHeartbeatHandler(null);
        ShareGroupHeartbeatRequestData request = new ShareGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("m").setMemberEpoch(0).setSubscribedTopicNames(List.of("seen", "hidden"));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(),
                handler.handle(context(ApiKeys.SHARE_GROUP_HEARTBEAT, NOTHING), request).join().errorCode());
        var denied = handler.handle(context(ApiKeys.SHARE_GROUP_HEARTBEAT,
                new Grants("GROUP:g:READ", "TOPIC:seen:DESCRIBE")), request).join();
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), denied.errorCode());
        assertEquals("The group is not authorized to describe topics [hidden]", denied.errorMessage());
    }

    @Test
    void shareFetchAndAcknowledgeNeedReadOnTheGroup() {
        ShareFetchRequestData fetch = new ShareFetchRequestData().setGroupId("g").setMemberId("m");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), new ShareFetchHandler(null, null, null, Time.SYSTEM)
                .handle(context(ApiKeys.SHARE_FETCH, new Grants("GROUP:g:DESCRIBE")), fetch).join().errorCode());
        ShareAcknowledgeRequestData ack = new ShareAcknowledgeRequestData().setGroupId("g").setMemberId("m");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), new ShareAcknowledgeHandler(null, null, null, Time.SYSTEM)
                .handle(context(ApiKeys.SHARE_ACKNOWLEDGE, NOTHING), ack).join().errorCode());
    }

    @Test
    void describingNeedsDescribeAndChangingOffsetsNeedsReadOrDelete() {
        var described = new ShareGroupDescribeHandler(null).handle(context(ApiKeys.SHARE_GROUP_DESCRIBE, NOTHING),
                new ShareGroupDescribeRequestData().setGroupIds(List.of("g"))).join();
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), described.groups().get(0).errorCode());
        var offsets = new DescribeShareGroupOffsetsHandler(null, null, null, null)
                .handle(context(ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS, new Grants("GROUP:g:READ")),
                        new DescribeShareGroupOffsetsRequestData().setGroups(List.of(
                                new DescribeShareGroupOffsetsRequestGroup().setGroupId("g")))).join();
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), offsets.groups().get(0).errorCode());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), new AlterShareGroupOffsetsHandler(null, null, null)
                .handle(context(ApiKeys.ALTER_SHARE_GROUP_OFFSETS, new Grants("GROUP:g:DESCRIBE")),
                        new AlterShareGroupOffsetsRequestData().setGroupId("g")).join().errorCode());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), new DeleteShareGroupOffsetsHandler(null, null, null)
                .handle(context(ApiKeys.DELETE_SHARE_GROUP_OFFSETS, new Grants("GROUP:g:READ")),
                        new DeleteShareGroupOffsetsRequestData().setGroupId("g")).join().errorCode());
    }

    @Test
    void theShareStateApisAreForBrokersOnly() {
        ReadShareGroupStateResponseData answer = new ReadShareGroupStateResponseData();
        ClusterActionOnly<ReadShareGroupStateRequestData> handler = new ClusterActionOnly<>(new ApiHandler<>() {
            @Override
            public ApiKeys apiKey() {
                return ApiKeys.READ_SHARE_GROUP_STATE;
            }

            @Override
            public CompletableFuture<ReadShareGroupStateResponseData> handle(RequestContext context,
                                                                             ReadShareGroupStateRequestData request) {
                return CompletableFuture.completedFuture(answer);
            }
        });
        ReadShareGroupStateRequestData request = new ReadShareGroupStateRequestData().setGroupId("g");
        assertInstanceOf(ClusterAuthorizationException.class, assertThrows(CompletionException.class,
                () -> handler.handle(context(ApiKeys.READ_SHARE_GROUP_STATE, new Grants("GROUP:g:READ")), request)
                        .join()).getCause());
        assertSame(answer, handler.handle(context(ApiKeys.READ_SHARE_GROUP_STATE,
                new Grants("CLUSTER:kafka-cluster:CLUSTER_ACTION")), request).join());
        assertEquals(ApiKeys.READ_SHARE_GROUP_STATE, handler.apiKey());
    }

    @Test
    void writeTxnMarkersTakesClusterActionOrAnAdminsAlter() {
        WriteTxnMarkersHandler handler = new WriteTxnMarkersHandler(null, "__consumer_offsets", null);
        WriteTxnMarkersRequestData none = new WriteTxnMarkersRequestData();
        assertInstanceOf(ClusterAuthorizationException.class, assertThrows(CompletionException.class,
                () -> handler.handle(context(ApiKeys.WRITE_TXN_MARKERS, NOTHING), none).join()).getCause());
        assertInstanceOf(WriteTxnMarkersResponseData.class, handler.handle(context(ApiKeys.WRITE_TXN_MARKERS,
                new Grants("CLUSTER:kafka-cluster:ALTER")), none).join());
        assertInstanceOf(WriteTxnMarkersResponseData.class, handler.handle(context(ApiKeys.WRITE_TXN_MARKERS,
                new Grants("CLUSTER:kafka-cluster:CLUSTER_ACTION")), none).join());
    }

    @Test
    void aDescribedGroupUsingTopicsTheDescriberCannotSeeIsTopicAuthorizationFailed() {
        Grants seesIn = new Grants("TOPIC:in:DESCRIBE");
        var share = new ShareGroupDescribeResponseData.DescribedGroup().setGroupId("g").setMembers(List.of(
                new ShareGroupDescribeResponseData.Member().setAssignment(new ShareGroupDescribeResponseData.Assignment()
                        .setTopicPartitions(List.of(new ShareGroupDescribeResponseData.TopicPartitions()
                                .setTopicName("in"), new ShareGroupDescribeResponseData.TopicPartitions()
                                .setTopicName("secret"))))));
        var refused = DescribedGroupTopics.checked(seesIn, share);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(List.of(), refused.members(), "nothing of the group is shown");
        assertSame(share, DescribedGroupTopics.checked(new Grants("TOPIC:in:DESCRIBE", "TOPIC:secret:DESCRIBE"), share));
        assertSame(share, DescribedGroupTopics.checked(io.millrace.server.api.Authorization.NONE, share));

        var consumer = new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId("c").setMembers(List.of(
                new ConsumerGroupDescribeResponseData.Member()
                        .setAssignment(new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(List.of(
                                new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicName("in"))))
                        .setTargetAssignment(new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(List.of(
                                new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicName("secret"))))));
        assertEquals(DescribedGroupTopics.GROUP_MESSAGE, DescribedGroupTopics.checked(seesIn, consumer).errorMessage());

        var streams = new StreamsGroupDescribeResponseData.DescribedGroup().setGroupId("s").setTopology(
                new StreamsGroupDescribeResponseData.Topology().setSubtopologies(List.of(
                        new StreamsGroupDescribeResponseData.Subtopology().setSourceTopics(List.of("in"))
                                .setStateChangelogTopics(List.of(new StreamsGroupDescribeResponseData.TopicInfo()
                                        .setName("app-changelog"))))));
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), DescribedGroupTopics.checked(seesIn, streams).errorCode());
        assertSame(streams, DescribedGroupTopics.checked(new Grants("TOPIC:in:DESCRIBE",
                "TOPIC:app-changelog:DESCRIBE"), streams));
    }
}

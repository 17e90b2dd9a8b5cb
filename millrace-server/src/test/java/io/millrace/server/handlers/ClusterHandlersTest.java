package io.millrace.server.handlers;

import static io.millrace.server.handlers.ClusterFixture.context;
import static io.millrace.server.handlers.ClusterFixture.endpoint;
import static io.millrace.server.handlers.ClusterFixture.partition;
import static io.millrace.server.handlers.ClusterFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.server.lifecycle.LiveBrokers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClusterHandlersTest {
    private final ClusterFixture cluster = new ClusterFixture()
            .broker(1, false, endpoint("PLAINTEXT", "host-1", 9001), endpoint("INTERNAL", "int-1", 19001))
            .broker(2, false, endpoint("INTERNAL", "int-2", 19002))
            .broker(3, true, endpoint("PLAINTEXT", "host-3", 9003))
            .topic("orders", partition(0, 1, List.of(1, 2, 3), List.of(1, 2)),
                    partition(1, -1, List.of(3, 4), List.of()),
                    partition(2, 9, List.of(9), List.of(9)));
    private int quorumLeader = 2;
    private final LiveBrokers brokers = new LiveBrokers(ClusterFixture.identity(5, 9005), () -> quorumLeader);

    private MetadataResponseData metadata(int version, MetadataRequestData request) throws Exception {
        MetadataHandler handler = new MetadataHandler(brokers, cluster, cluster, () -> true);
        MetadataResponseData response = handler.handle(context(ApiKeys.METADATA, version), request).get();
        write(response, version);
        return response;
    }

    @Test
    void metadataListsUnfencedBrokersAtTheirListenerAndThisNode() throws Exception {
        MetadataResponseData response = metadata(12, new MetadataRequestData().setTopics(null));
        List<String> listed = response.brokers().stream().map(b -> b.nodeId() + "@" + b.host() + ":" + b.port()).toList();
        assertEquals(List.of("1@host-1:9001", "2@int-2:19002", "5@127.0.0.1:9005"), listed);
        MetadataResponseBroker self = response.brokers().find(5);
        assertEquals("rack-self", self.rack());
        assertEquals(2, response.controllerId());
        assertEquals(ClusterFixture.CLUSTER_ID, response.clusterId());
    }

    @Test
    void controllerIdIsThisNodeWhenTheQuorumLeaderIsUnknownOrNotListed() throws Exception {
        quorumLeader = -1;
        assertEquals(5, metadata(12, new MetadataRequestData().setTopics(null)).controllerId());
        quorumLeader = 3; // fenced
        assertEquals(5, metadata(12, new MetadataRequestData().setTopics(null)).controllerId());
    }

    @Test
    void partitionsCarryLeaderErrorsAndOfflineReplicas() throws Exception {
        MetadataResponseData response = metadata(12, new MetadataRequestData().setTopics(null));
        List<MetadataResponsePartition> partitions = response.topics().find("orders").partitions();
        MetadataResponsePartition led = partitions.get(0);
        assertEquals(Errors.NONE.code(), led.errorCode());
        assertEquals(1, led.leaderId());
        assertEquals(5, led.leaderEpoch());
        assertEquals(List.of(1, 2, 3), led.replicaNodes());
        assertEquals(List.of(1, 2), led.isrNodes());
        assertEquals(List.of(3), led.offlineReplicas());
        MetadataResponsePartition leaderless = partitions.get(1);
        assertEquals(Errors.LEADER_NOT_AVAILABLE.code(), leaderless.errorCode());
        assertEquals(-1, leaderless.leaderId());
        assertEquals(List.of(3, 4), leaderless.offlineReplicas());
        MetadataResponsePartition unknownLeader = partitions.get(2);
        assertEquals(Errors.LEADER_NOT_AVAILABLE.code(), unknownLeader.errorCode());
        assertEquals(-1, unknownLeader.leaderId());
    }

    @Test
    void metadataIsWritableAtEveryVersion() throws Exception {
        for (short v = ApiKeys.METADATA.oldestVersion(); v <= ApiKeys.METADATA.latestVersion(); v++) {
            MetadataRequestData request = new MetadataRequestData().setTopics(v == 0 ? List.of() : null);
            MetadataResponseData response = metadata(v, request);
            assertEquals(3, response.brokers().size(), "version " + v);
        }
    }

    @Test
    void autoCreatesThroughTheControllerChannel() throws Exception {
        cluster.responder = command -> {
            CreateTopics create = (CreateTopics) command;
            cluster.topic(create.topics().get(0).name(), partition(0, 5, List.of(5), List.of(5)));
            return CompletableFuture.completedFuture(new CreateTopics.Reply(
                    List.of(new CreateTopicResult(create.topics().get(0).name(), ApiError.NONE,
                            org.apache.kafka.common.Uuid.randomUuid(), 1, (short) 1))));
        };
        MetadataResponseData response = metadata(12, new MetadataRequestData().setAllowAutoTopicCreation(true)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("fresh"))));
        assertEquals(1, cluster.commands.size());
        assertEquals(Errors.NONE.code(), response.topics().find("fresh").errorCode());
        assertEquals(5, response.topics().find("fresh").partitions().get(0).leaderId());
    }

    private DescribeClusterResponseData describeCluster(int version, DescribeClusterRequestData request)
            throws Exception {
        DescribeClusterResponseData response = new DescribeClusterHandler(brokers, cluster)
                .handle(context(ApiKeys.DESCRIBE_CLUSTER, version), request).get();
        write(response, version);
        return response;
    }

    @Test
    void describeClusterListsBrokersAndOptionallyTheFencedOnes() throws Exception {
        DescribeClusterResponseData response = describeCluster(2, new DescribeClusterRequestData());
        assertEquals(List.of(1, 2, 5), response.brokers().stream().map(DescribeClusterBroker::brokerId).toList());
        assertEquals(2, response.controllerId());
        assertEquals(1, response.endpointType());
        DescribeClusterResponseData withFenced = describeCluster(2,
                new DescribeClusterRequestData().setIncludeFencedBrokers(true));
        assertEquals(List.of(1, 2, 3, 5), withFenced.brokers().stream().map(DescribeClusterBroker::brokerId).toList());
        assertTrue(withFenced.brokers().find(3).isFenced());
        assertFalse(withFenced.brokers().find(1).isFenced());
        for (int v = 0; v <= 2; v++) {
            assertEquals(3, describeCluster(v, new DescribeClusterRequestData()).brokers().size());
        }
    }

    @Test
    void describeClusterRefusesOtherEndpointTypesAsKafkaBrokersDo() throws Exception {
        DescribeClusterResponseData controllers = describeCluster(1,
                new DescribeClusterRequestData().setEndpointType((byte) 2));
        assertEquals(Errors.MISMATCHED_ENDPOINT_TYPE.code(), controllers.errorCode());
        DescribeClusterResponseData unknown = describeCluster(1,
                new DescribeClusterRequestData().setEndpointType((byte) 7));
        assertEquals(Errors.UNSUPPORTED_ENDPOINT_TYPE.code(), unknown.errorCode());
    }
}

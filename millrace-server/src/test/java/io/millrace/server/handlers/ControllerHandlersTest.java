package io.millrace.server.handlers;

import static io.millrace.server.handlers.ClusterFixture.context;
import static io.millrace.server.handlers.ClusterFixture.partition;
import static io.millrace.server.handlers.ClusterFixture.reassigning;
import static io.millrace.server.handlers.ClusterFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.controller.command.ElectLeaders.TopicPartitionRef;
import io.millrace.server.quorum.QuorumDescriber;
import io.millrace.server.quorum.QuorumState;
import io.millrace.server.quorum.ReplicaState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitionsCollection;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ControllerHandlersTest {
    private final ClusterFixture cluster = new ClusterFixture()
            .broker(1, false, ClusterFixture.endpoint("PLAINTEXT", "host-1", 9001))
            .topic("orders", partition(0, 1, List.of(1, 2), List.of(1, 2)),
                    reassigning(1, List.of(1, 2, 3), List.of(3), List.of(1)))
            .topic("audit", partition(0, 1, List.of(1), List.of(1)));

    private static ElectLeadersRequestData electRequest(byte type, String topic, Integer... partitions) {
        TopicPartitionsCollection wanted = new TopicPartitionsCollection();
        wanted.add(new TopicPartitions().setTopic(topic).setPartitions(List.of(partitions)));
        return new ElectLeadersRequestData().setElectionType(type).setTopicPartitions(wanted).setTimeoutMs(1000);
    }

    private ElectLeadersResponseData elect(int version, ElectLeadersRequestData request) throws Exception {
        ElectLeadersResponseData response = new ElectLeadersHandler(cluster)
                .handle(context(ApiKeys.ELECT_LEADERS, version), request).get();
        write(response, version);
        return response;
    }

    @Test
    void electLeadersSubmitsTheElectionAndMapsEachResult() throws Exception {
        cluster.responder = command -> CompletableFuture.completedFuture(new ElectLeaders.Reply(List.of(
                new ElectLeaders.Result("orders", 0, ApiError.NONE),
                new ElectLeaders.Result("orders", 1, ApiError.of(Errors.ELECTION_NOT_NEEDED, "already leads")))));
        ElectLeadersResponseData response = elect(2, electRequest((byte) 1, "orders", 0, 1));
        ElectLeaders sent = (ElectLeaders) cluster.commands.get(0);
        assertEquals(ElectLeaders.UNCLEAN, sent.electionType());
        assertEquals(List.of(new TopicPartitionRef("orders", 0), new TopicPartitionRef("orders", 1)), sent.partitions());
        assertEquals(Errors.NONE.code(), response.errorCode());
        List<PartitionResult> results = response.replicaElectionResults().get(0).partitionResult();
        assertEquals(Errors.NONE.code(), results.get(0).errorCode());
        assertNull(results.get(0).errorMessage());
        assertEquals(Errors.ELECTION_NOT_NEEDED.code(), results.get(1).errorCode());
        assertEquals("already leads", results.get(1).errorMessage());
    }

    @Test
    void electLeadersOfAllPartitionsPassesNullAndVersionZeroIsPreferred() throws Exception {
        cluster.responder = command -> CompletableFuture.completedFuture(new ElectLeaders.Reply(List.of()));
        ElectLeadersResponseData response = elect(0, new ElectLeadersRequestData().setTopicPartitions(null)
                .setTimeoutMs(1000));
        ElectLeaders sent = (ElectLeaders) cluster.commands.get(0);
        assertNull(sent.partitions());
        assertEquals(ElectLeaders.PREFERRED, sent.electionType());
        assertTrue(response.replicaElectionResults().isEmpty());
    }

    @Test
    void electLeadersWithoutAControllerFailsEveryPartitionAndTheTopLevelFromV1() throws Exception {
        cluster.responder = command -> CompletableFuture.failedFuture(new NotControllerException("no leader"));
        ElectLeadersResponseData v1 = elect(1, electRequest((byte) 0, "orders", 0));
        assertEquals(Errors.NOT_CONTROLLER.code(), v1.errorCode());
        assertEquals(Errors.NOT_CONTROLLER.code(), v1.replicaElectionResults().get(0).partitionResult().get(0).errorCode());
        ElectLeadersResponseData v0 = elect(0, electRequest((byte) 0, "orders", 0));
        assertEquals(Errors.NOT_CONTROLLER.code(), v0.replicaElectionResults().get(0).partitionResult().get(0).errorCode());
    }

    @Test
    void electLeadersTimesOut() throws Exception {
        cluster.responder = command -> new CompletableFuture<>();
        ElectLeadersResponseData response = elect(2, electRequest((byte) 0, "orders", 0).setTimeoutMs(20));
        assertEquals(Errors.REQUEST_TIMED_OUT.code(), response.errorCode());
    }

    private AlterPartitionReassignmentsResponseData alter(int version, AlterPartitionReassignmentsRequestData request)
            throws Exception {
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsHandler(cluster, cluster)
                .handle(context(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, version), request).get();
        write(response, version);
        return response;
    }

    @Test
    void alterReassignmentsSubmitsTargetsAndCancellations() throws Exception {
        cluster.responder = command -> CompletableFuture.completedFuture(new io.millrace.metadata.controller.command
                .Errors(List.of(ApiError.NONE, ApiError.of(Errors.NO_REASSIGNMENT_IN_PROGRESS, "none"))));
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData().setTopics(List.of(
                new ReassignableTopic().setName("orders").setPartitions(List.of(
                        new ReassignablePartition().setPartitionIndex(0).setReplicas(List.of(2, 3)),
                        new ReassignablePartition().setPartitionIndex(1).setReplicas(null)))));
        for (int version = 0; version <= 1; version++) {
            cluster.commands.clear();
            AlterPartitionReassignmentsResponseData response = alter(version, request);
            AlterReassignments sent = (AlterReassignments) cluster.commands.get(0);
            assertEquals(List.of(new AlterReassignments.Reassignment("orders", 0, List.of(2, 3)),
                    new AlterReassignments.Reassignment("orders", 1, null)), sent.reassignments());
            var partitions = response.responses().get(0).partitions();
            assertEquals(Errors.NONE.code(), partitions.get(0).errorCode());
            assertEquals(Errors.NO_REASSIGNMENT_IN_PROGRESS.code(), partitions.get(1).errorCode());
            assertEquals(Errors.NONE.code(), response.errorCode());
        }
    }

    @Test
    void alterReassignmentsRefusesAReplicationFactorChangeWhenNotAllowed() throws Exception {
        cluster.responder = command -> CompletableFuture.completedFuture(new io.millrace.metadata.controller.command
                .Errors(List.of(ApiError.NONE)));
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData()
                .setAllowReplicationFactorChange(false).setTopics(List.of(
                new ReassignableTopic().setName("orders").setPartitions(List.of(
                        new ReassignablePartition().setPartitionIndex(0).setReplicas(List.of(1, 2, 3)),
                        new ReassignablePartition().setPartitionIndex(1).setReplicas(List.of(2, 3))))));
        AlterPartitionReassignmentsResponseData response = alter(1, request);
        var partitions = response.responses().get(0).partitions();
        assertEquals(Errors.INVALID_REPLICATION_FACTOR.code(), partitions.get(0).errorCode());
        assertEquals(Errors.NONE.code(), partitions.get(1).errorCode()); // 3 replicas of which 1 adding: factor 2
        assertEquals(1, ((AlterReassignments) cluster.commands.get(0)).reassignments().size());
    }

    @Test
    void listReassignmentsReadsTheImage() throws Exception {
        ListPartitionReassignmentsHandler handler = new ListPartitionReassignmentsHandler(cluster);
        ListPartitionReassignmentsResponseData all = handler.handle(context(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0),
                new ListPartitionReassignmentsRequestData().setTopics(null)).get();
        write(all, 0);
        assertEquals(1, all.topics().size());
        OngoingPartitionReassignment ongoing = all.topics().get(0).partitions().get(0);
        assertEquals(1, ongoing.partitionIndex());
        assertEquals(List.of(1, 2, 3), ongoing.replicas());
        assertEquals(List.of(3), ongoing.addingReplicas());
        assertEquals(List.of(1), ongoing.removingReplicas());
        ListPartitionReassignmentsResponseData some = handler.handle(context(ApiKeys.LIST_PARTITION_REASSIGNMENTS, 0),
                new ListPartitionReassignmentsRequestData().setTopics(List.of(
                        new ListPartitionReassignmentsTopics().setName("orders").setPartitionIndexes(List.of(0)),
                        new ListPartitionReassignmentsTopics().setName("nope").setPartitionIndexes(List.of(0))))).get();
        assertTrue(some.topics().isEmpty());
    }

    private static DescribeQuorumRequestData quorumRequest(String topic, int partition) {
        return new DescribeQuorumRequestData().setTopics(List.of(new DescribeQuorumRequestData.TopicData()
                .setTopicName(topic).setPartitions(List.of(
                        new DescribeQuorumRequestData.PartitionData().setPartitionIndex(partition)))));
    }

    @Test
    void describeQuorumOfASingleNodeAtEveryVersion() throws Exception {
        DescribeQuorumHandler handler = new DescribeQuorumHandler(
                QuorumDescriber.singleNode(1, () -> 100), cluster);
        for (int version = 0; version <= 2; version++) {
            DescribeQuorumResponseData response = handler.handle(context(ApiKeys.DESCRIBE_QUORUM, version),
                    quorumRequest("__cluster_metadata", 0)).get();
            write(response, version);
            var partition = response.topics().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode());
            assertEquals(1, partition.leaderId());
            assertEquals(100, partition.highWatermark());
            assertEquals(1, partition.currentVoters().size());
            assertEquals(version >= 2 ? 1 : 0, response.nodes().size(), "version " + version);
        }
    }

    @Test
    void describeQuorumOfAnotherPartitionOrWithoutLeaderIsAnError() throws Exception {
        DescribeQuorumHandler handler = new DescribeQuorumHandler(() -> CompletableFuture.completedFuture(
                new QuorumState(1, 3, 10, List.of(new ReplicaState(1, 10, -1, -1)), List.of())), cluster);
        DescribeQuorumResponseData wrong = handler.handle(context(ApiKeys.DESCRIBE_QUORUM, 2),
                quorumRequest("orders", 0)).get();
        write(wrong, 2);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), wrong.topics().get(0).partitions().get(0).errorCode());
        DescribeQuorumHandler leaderless = new DescribeQuorumHandler(() -> CompletableFuture.failedFuture(
                new NotLeaderOrFollowerException("no quorum leader")), cluster);
        for (int version = 0; version <= 2; version++) {
            DescribeQuorumResponseData response = leaderless.handle(context(ApiKeys.DESCRIBE_QUORUM, version),
                    quorumRequest("__cluster_metadata", 0)).get();
            write(response, version);
            assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(),
                    response.topics().get(0).partitions().get(0).errorCode());
        }
    }
}

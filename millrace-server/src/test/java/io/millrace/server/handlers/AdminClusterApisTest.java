package io.millrace.server.handlers;

import static io.millrace.server.handlers.ClusterFixture.partition;
import static io.millrace.server.handlers.ClusterFixture.reassigning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.Endpoint;
import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.network.HandlerRegistry;
import io.millrace.server.network.SocketServer;
import io.millrace.server.quorum.QuorumDescriber;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kafka-clients' Admin against the cluster handlers over a real socket, with a fake controller. */
class AdminClusterApisTest {
    private static final int NODE = 1;

    private final ClusterFixture cluster = new ClusterFixture();
    private SocketServer server;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        cluster.broker(NODE, false, ClusterFixture.endpoint("PLAINTEXT", "127.0.0.1", port))
                .topic("orders", partition(0, NODE, List.of(NODE), List.of(NODE)),
                        reassigning(1, List.of(NODE, 2), List.of(2), List.of()));
        LiveBrokers brokers = new LiveBrokers(ClusterFixture.identity(NODE, port), () -> NODE);
        List<ApiHandler<?>> handlers = new ArrayList<>(List.of(
                new MetadataHandler(brokers, cluster, cluster, () -> false),
                new DescribeClusterHandler(brokers, cluster),
                new ElectLeadersHandler(cluster),
                new AlterPartitionReassignmentsHandler(cluster, cluster),
                new ListPartitionReassignmentsHandler(cluster),
                new DescribeQuorumHandler(QuorumDescriber.singleNode(NODE, () -> 77), cluster)));
        HandlerRegistry registry = HandlerRegistry.of(handlers,
                r -> new ApiVersionsHandler(r, ClusterFixture.CLUSTER_ID, NODE));
        server = new SocketServer(List.of(new Endpoint(ClusterFixture.LISTENER, "127.0.0.1", port)), registry,
                100 * 1024 * 1024);
        server.start();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        admin = Admin.create(props);
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void describeCluster() throws Exception {
        var result = admin.describeCluster();
        assertEquals(ClusterFixture.CLUSTER_ID, result.clusterId().get(10, TimeUnit.SECONDS));
        assertEquals(List.of(NODE), result.nodes().get(10, TimeUnit.SECONDS).stream().map(Node::id).toList());
        assertEquals(NODE, result.controller().get(10, TimeUnit.SECONDS).id());
    }

    @Test
    void electLeaders() throws Exception {
        cluster.responder = command -> {
            ElectLeaders elect = (ElectLeaders) command;
            List<ElectLeaders.Result> results = elect.partitions() == null ? List.of()
                    : elect.partitions().stream().map(p -> new ElectLeaders.Result(p.topic(), p.partition(),
                            ApiError.of(Errors.ELECTION_NOT_NEEDED, "already the preferred leader"))).toList();
            return CompletableFuture.completedFuture(new ElectLeaders.Reply(results));
        };
        TopicPartition tp = new TopicPartition("orders", 0);
        Map<TopicPartition, Optional<Throwable>> results = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp))
                .partitions().get(10, TimeUnit.SECONDS);
        assertInstanceOf(ElectionNotNeededException.class, results.get(tp).orElseThrow());
        assertTrue(admin.electLeaders(ElectionType.UNCLEAN, null).partitions().get(10, TimeUnit.SECONDS).isEmpty());
        assertEquals(ElectLeaders.UNCLEAN, ((ElectLeaders) cluster.commands.get(1)).electionType());
    }

    @Test
    void alterAndListPartitionReassignments() throws Exception {
        cluster.responder = command -> CompletableFuture.completedFuture(new io.millrace.metadata.controller.command
                .Errors(((AlterReassignments) command).reassignments().stream().map(r -> ApiError.NONE).toList()));
        TopicPartition tp0 = new TopicPartition("orders", 0);
        TopicPartition tp1 = new TopicPartition("orders", 1);
        admin.alterPartitionReassignments(Map.of(tp0, Optional.of(new NewPartitionReassignment(List.of(NODE, 2))),
                tp1, Optional.empty())).all().get(10, TimeUnit.SECONDS);
        List<AlterReassignments.Reassignment> sent = ((AlterReassignments) cluster.commands.get(0)).reassignments();
        assertEquals(2, sent.size());
        assertTrue(sent.contains(new AlterReassignments.Reassignment("orders", 1, null)));
        Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments()
                .get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(tp1), ongoing.keySet());
        assertEquals(List.of(NODE, 2), ongoing.get(tp1).replicas());
        assertEquals(List.of(2), ongoing.get(tp1).addingReplicas());
        assertTrue(admin.listPartitionReassignments(Set.of(tp0)).reassignments().get(10, TimeUnit.SECONDS).isEmpty());
    }

    @Test
    void describeMetadataQuorum() throws Exception {
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
        assertEquals(NODE, quorum.leaderId());
        assertEquals(77, quorum.highWatermark());
        assertEquals(1, quorum.voters().size());
        assertEquals(77, quorum.voters().get(0).logEndOffset());
        assertTrue(quorum.voters().get(0).lastFetchTimestamp().isPresent());
        assertEquals(Set.of(NODE), quorum.nodes().keySet());
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes configured as a Kafka user configures them agree on one cluster: without a cluster.id
 * line (each node its own JVM, since the order a JVM iterates a map in differs between JVMs),
 * after {@code millrace storage format}, and a node given another cluster's id says so in one
 * line and stays out.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterIdentityIT {
    private static final String FORMATTED_ID = "SUCsjmpvRLWyP5Ru4I2o9A";

    @RegisterExtension
    final BrokerLogOnFailure brokerLog = new BrokerLogOnFailure();
    @TempDir
    Path tempDir;
    private ClusterHarness cluster;

    @AfterEach
    void stop() {
        Clients.closeAll(cluster);
    }

    private ClusterHarness create(String name, Map<String, String> extra, Map<Integer, Map<String, String>> nodes) {
        cluster = ClusterHarness.create(name, 3, tempDir, extra, nodes);
        cluster.processes().forEach(brokerLog::watch);
        return cluster;
    }

    private static String clusterIdSeenThrough(String bootstrap) {
        try (Admin admin = Clients.admin(bootstrap)) {
            return Clients.get(admin.describeCluster().clusterId());
        }
    }

    private static String storedClusterId(Path dir) throws Exception {
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(dir.resolve("meta.properties"))) {
            props.load(reader);
        }
        return props.getProperty("cluster.id");
    }

    @Test
    void threeJvmsWithoutClusterIdFormOneCluster() throws Exception {
        create("ClusterIdentityIT-derived", Map.of("cluster.id", "", "min.insync.replicas", "2"), Map.of());
        cluster.start(cluster.nodeIds());
        cluster.createTopic(cluster.admin(), "replicated", 1, 3, Map.of());
        String id = clusterIdSeenThrough(cluster.bootstrap(1));
        for (int node : cluster.nodeIds()) {
            assertEquals(id, clusterIdSeenThrough(cluster.bootstrap(node)), "node " + node);
            assertEquals(id, storedClusterId(tempDir.resolve("node-" + node)));
            assertTrue(Files.readString(cluster.node(node).logFile()).contains("(derived from controller.quorum.voters)"));
        }
    }

    @Test
    void formattedNodesRunWithTheFormattedId() throws Exception {
        create("ClusterIdentityIT-formatted", Map.of("cluster.id", ""), Map.of());
        for (int node : cluster.nodeIds()) {
            StorageTool.Result result = StorageTool.run(cluster.node(node), tempDir.resolve("tool"), "format",
                    "-t", FORMATTED_ID, "--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret,iterations=8192]");
            assertEquals(0, result.exitCode(), result.output());
        }
        StorageTool.Result again = StorageTool.run(cluster.node(1), tempDir.resolve("tool"), "format", "-t",
                FORMATTED_ID);
        assertEquals(1, again.exitCode(), again.output());
        assertTrue(again.output().contains("already formatted"), again.output());
        cluster.start(cluster.nodeIds());
        cluster.createTopic(cluster.admin(), "replicated", 1, 3, Map.of());
        for (int node : cluster.nodeIds()) {
            assertEquals(FORMATTED_ID, clusterIdSeenThrough(cluster.bootstrap(node)), "node " + node);
            try (Admin admin = Clients.admin(cluster.bootstrap(node))) { // --add-scram's credential, in the metadata
                assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)), Clients.get(
                        admin.describeUserScramCredentials(List.of("admin")).description("admin")).credentialInfos());
            }
        }
    }

    @Test
    void aNodeOfAnotherClusterSaysSoInOneLineAndStaysOut() throws Exception {
        String other = "AAAAAAAAAAAAAAAAAAAAAA";
        create("ClusterIdentityIT-mismatch", Map.of(), Map.of(1, Map.of("cluster.id", other)));
        String rightId = cluster.node(2).properties().get("cluster.id");
        cluster.nodeIds().forEach(id -> cluster.node(id).spawn());
        cluster.node(2).awaitStarted();
        cluster.node(3).awaitStarted();
        try (Admin admin = Clients.admin(cluster.bootstrap(2))) {
            Await.until("nodes 2 and 3 are registered", ClusterHarness.START_TIMEOUT, () -> registered(admin)
                    .equals(Set.of(2, 3)));
            String line = "Metadata quorum: node 1 is in cluster " + other;
            Await.until("node 1 says it is in another cluster", Duration.ofSeconds(40),
                    () -> log(1).contains(line));
            String said = log(1).lines().filter(l -> l.contains(line)).findFirst().orElseThrow();
            assertTrue(said.contains("voters 2,3 answer for cluster " + rightId), said);
            assertEquals(Set.of(2, 3), registered(admin));
        }
        assertTrue(cluster.isRunning(1));
        // the call can only fail (node 1 has no controller), so it is given 5 s rather than the 20 s
        // default the other tests' calls get to succeed
        try (Admin admin = Clients.admin(cluster.bootstrap(1), Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            // node 1 has no controller: a client that reaches it gets an error, not a partial cluster
            long begin = System.nanoTime();
            Throwable failed = org.junit.jupiter.api.Assertions.assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                            "through-node-1", 1, (short) 1))).all()));
            System.out.println("createTopics through node 1 failed after " + (System.nanoTime() - begin) / 1_000_000
                    + " ms: " + failed);
        }
        String text = log(1);
        assertFalse(text.contains("GroupMismatchException"), "Ratis' per-vote stack traces are silenced");
        System.out.println("node 1's log has " + text.lines().count() + " lines");
    }

    private String log(int node) {
        try {
            return Files.readString(cluster.node(node).logFile(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<Integer> registered(Admin admin) {
        return Clients.get(admin.describeCluster().nodes()).stream().map(Node::id).collect(Collectors.toSet());
    }
}

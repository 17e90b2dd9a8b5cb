package io.millrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The server.properties {@code millrace cluster} writes for each node. */
class ClusterLayoutTest {

    private static final Path ROOT = Path.of("/tmp/millrace-data");
    private final ClusterLayout three = ClusterLayout.local(3, ROOT, "MkU3OEVBNTcwNTJENDM2Qk", Map.of());

    @Test
    void eachNodeHasItsOwnPortsAndDirectoryAndTheSameVotersAndClusterId() {
        Map<String, String> node2 = three.nodeProperties(2);
        assertEquals("2", node2.get("node.id"));
        assertEquals("broker,controller", node2.get("process.roles"));
        assertEquals("MkU3OEVBNTcwNTJENDM2Qk", node2.get("cluster.id"));
        assertEquals("PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:19093", node2.get("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:9093", node2.get("advertised.listeners"));
        assertEquals("CONTROLLER", node2.get("controller.listener.names"));
        assertEquals("PLAINTEXT", node2.get("inter.broker.listener.name"));
        assertEquals("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT", node2.get("listener.security.protocol.map"));
        assertEquals("1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094", node2.get("controller.quorum.voters"));
        assertEquals(ROOT.resolve("node-2").toString(), node2.get("log.dirs"));
        assertEquals("3", node2.get("default.replication.factor"));
        assertEquals("3", node2.get("offsets.topic.replication.factor"));
        assertEquals("2", node2.get("min.insync.replicas"));
        for (int id = 1; id <= 3; id++) {
            assertEquals(node2.get("controller.quorum.voters"), three.nodeProperties(id).get("controller.quorum.voters"));
            assertEquals(node2.get("cluster.id"), three.nodeProperties(id).get("cluster.id"));
        }
        assertEquals("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094", three.bootstrapServers());
    }

    @Test
    void everyGeneratedKeyIsKnownAndValid() {
        for (int nodes : new int[] {1, 3, 9}) {
            ClusterLayout layout = ClusterLayout.local(nodes, ROOT, ClusterId.random(), Map.of());
            for (int id = 1; id <= nodes; id++) {
                Map<String, String> props = layout.nodeProperties(id);
                assertEquals(List.of(), BrokerConfig.unknownKeys(props));
                BrokerConfig config = BrokerConfig.fromProperties(props);
                assertEquals(id, config.nodeId());
                assertEquals(List.of(ROOT.resolve("node-" + id)), config.logDirs());
            }
        }
    }

    @Test
    void smallClustersCapTheReplicationFactors() {
        Map<String, String> single = ClusterLayout.local(1, ROOT, "id", Map.of()).nodeProperties(1);
        assertEquals("1", single.get("default.replication.factor"));
        assertEquals("1", single.get("offsets.topic.replication.factor"));
        assertEquals("1", single.get("min.insync.replicas"));
        assertEquals("1@127.0.0.1:19092", single.get("controller.quorum.voters"));
        Map<String, String> two = ClusterLayout.local(2, ROOT, "id", Map.of()).nodeProperties(2);
        assertEquals("2", two.get("default.replication.factor"));
        assertEquals("2", two.get("min.insync.replicas"));
        Map<String, String> nine = ClusterLayout.local(9, ROOT, "id", Map.of()).nodeProperties(9);
        assertEquals("PLAINTEXT://127.0.0.1:9100,CONTROLLER://127.0.0.1:19100", nine.get("listeners"));
        assertEquals("3", nine.get("default.replication.factor"));
    }

    @Test
    void overridesApplyToEveryNode() {
        ClusterLayout layout = ClusterLayout.local(3, ROOT, "id", Map.of("num.partitions", "6", "min.insync.replicas", "1"));
        for (int id = 1; id <= 3; id++) {
            assertEquals("6", layout.nodeProperties(id).get("num.partitions"));
            assertEquals("1", layout.nodeProperties(id).get("min.insync.replicas"));
        }
    }

    @Test
    void theFileTextLoadsBackToTheSameProperties() throws Exception {
        ClusterLayout windowsLike = ClusterLayout.local(3, Path.of("/tmp/a\\b c"), "id", Map.of());
        for (ClusterLayout layout : List.of(three, windowsLike)) {
            Properties loaded = new Properties();
            loaded.load(new StringReader(layout.propertiesText(3)));
            Map<String, String> asMap = new HashMap<>();
            loaded.stringPropertyNames().forEach(k -> asMap.put(k, loaded.getProperty(k)));
            assertEquals(layout.nodeProperties(3), asMap);
            assertTrue(layout.propertiesText(3).startsWith("# Node 3 of a local 3-node Millrace cluster"));
        }
        assertEquals(ROOT.resolve("node-3").resolve("server.properties"), three.propertiesFile(3));
    }

    @Test
    void unknownNodesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> three.nodeProperties(0));
        assertThrows(IllegalArgumentException.class, () -> three.nodeProperties(4));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.local(0, ROOT, "id", Map.of()));
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.tools.FeatureCommand;
import org.apache.kafka.tools.MetadataQuorumCommand;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code kafka-metadata-quorum.sh} ({@link MetadataQuorumCommand}) and
 * {@code kafka-features.sh} ({@link FeatureCommand}), run in this JVM against a three-node
 * cluster, report the quorum and the features truthfully. Both tests only read (the upgrade is
 * refused), so they share one cluster.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuorumToolsIT {
    @RegisterExtension
    static final BrokerLogOnFailure brokerLog = new BrokerLogOnFailure();
    @TempDir
    static Path tempDir;
    static ClusterHarness cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterHarness.start(QuorumToolsIT.class.getSimpleName(), 3, tempDir, Map.of());
    }

    @BeforeEach
    void watchNodes() {
        cluster.processes().forEach(brokerLog::watch);
    }

    @AfterAll
    static void stopCluster() {
        Clients.closeAll(cluster);
    }

    record Output(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        }

        String value(String key) {
            return lines().stream().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim())
                    .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in " + stdout));
        }
    }

    @Test
    void describeStatusAndReplicationTellTheTruth() throws Exception {
        cluster.createTopic(cluster.admin(), "some-metadata", 3, 3, Map.of());
        String clusterId = Clients.get(cluster.admin().describeCluster().clusterId());

        Output status = tool(MetadataQuorumCommand.class, "describe", "--status");
        QuorumInfo quorum = Clients.get(cluster.admin().describeMetadataQuorum().quorumInfo());
        assertEquals(0, status.exitCode(), status.toString());
        assertEquals(clusterId, status.value("ClusterId"));
        int leader = Integer.parseInt(status.value("LeaderId"));
        assertEquals(quorum.leaderId(), leader);
        assertTrue(Set.of(1, 2, 3).contains(leader));
        assertEquals(quorum.leaderEpoch(), Integer.parseInt(status.value("LeaderEpoch")));
        long highWatermark = Long.parseLong(status.value("HighWatermark"));
        assertTrue(highWatermark > 0 && highWatermark <= quorum.highWatermark(), status.stdout());
        String voters = status.value("CurrentVoters").replace(" ", "");
        for (int id = 1; id <= 3; id++) {
            // a voter's endpoint is its quorum (controller) listener, as in controller.quorum.voters
            String voter = cluster.node(id).properties().get("controller.quorum.voters").split(",")[id - 1];
            assertTrue(voters.contains("{\"id\":" + id + ",\"endpoints\":[\"CONTROLLER://"
                    + voter.substring(voter.indexOf('@') + 1) + "\"]}"), voters);
        }
        assertEquals("[]", status.value("CurrentObservers"));

        Output replication = tool(MetadataQuorumCommand.class, "describe", "--replication");
        assertEquals(0, replication.exitCode(), replication.toString());
        List<String[]> rows = replication.lines().stream().skip(1).map(l -> l.split("\\s+")).toList();
        assertEquals(3, rows.size(), replication.stdout());
        Set<String> ids = rows.stream().map(r -> r[0]).collect(Collectors.toSet());
        assertEquals(Set.of("1", "2", "3"), ids);
        for (String[] row : rows) {
            String statusColumn = row[row.length - 1];
            assertEquals(row[0].equals(String.valueOf(leader)) ? "Leader" : "Follower", statusColumn, String.join(" ", row));
            long logEnd = Long.parseLong(row[2]);
            assertTrue(logEnd >= 0 && logEnd <= quorum.highWatermark() + 100, String.join(" ", row));
        }
    }

    @Test
    void featuresDescribeOnlyWhatIsImplementedAndUpgradeIsRefusedCleanly() throws Exception {
        Output describe = tool(FeatureCommand.class, "describe");
        assertEquals(0, describe.exitCode(), describe.toString());
        List<String> features = new ArrayList<>();
        for (String line : describe.lines()) {
            if (line.startsWith("Feature: group.version")) {
                assertTrue(line.contains("FinalizedVersionLevel: 1"), line);
            } else if (line.startsWith("Feature: share.version")) {
                // KIP-932 share groups with KIP-1191 dead-letter topics: level 2, as a new Kafka 4.4 cluster
                assertTrue(line.contains("SupportedMaxVersion: 2"), line);
                assertTrue(line.contains("FinalizedVersionLevel: 2"), line);
            } else if (line.startsWith("Feature: streams.version")) {
                assertTrue(line.contains("SupportedMaxVersion: 1"), line);
                assertTrue(line.contains("FinalizedVersionLevel: 1"), line);
            } else if (line.startsWith("Feature: transaction.version")) {
                assertTrue(line.contains("SupportedMaxVersion: 2"), line);
                assertTrue(line.contains("FinalizedVersionLevel: 2"), line);
            } else {
                throw new AssertionError("only group.version, share.version, streams.version and transaction.version "
                        + "are advertised: " + line);
            }
            features.add(line.substring("Feature: ".length()).split("\\s+")[0]);
        }
        assertEquals(List.of("group.version", "share.version", "streams.version", "transaction.version"), features,
                describe.toString());

        Output upgrade = tool(FeatureCommand.class, "upgrade", "--feature", "transaction.version=2");
        assertNotEquals(0, upgrade.exitCode(), upgrade.toString());
        String said = upgrade.stdout() + upgrade.stderr();
        assertTrue(said.contains("UPDATE_FEATURES") || said.contains("UpdateFeatures") || said.contains("not support"),
                said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
    }

    /** Runs a kafka-tools command's {@code mainNoExit} with its output captured. */
    private static synchronized Output tool(Class<?> command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", cluster.bootstrapServers()));
        all.addAll(List.of(args));
        Method main = command.getDeclaredMethod("mainNoExit", String[].class);
        main.setAccessible(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = (int) main.invoke(null, (Object) all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        Output output = new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        stdout.println(command.getSimpleName() + " " + String.join(" ", args) + " -> " + code + "\n" + output.stdout()
                + output.stderr());
        return output;
    }
}

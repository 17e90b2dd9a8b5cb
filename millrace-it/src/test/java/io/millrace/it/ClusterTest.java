package io.millrace.it;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of a cluster of nodes started as OS processes ({@link ClusterHarness}): each node's log
 * is printed when the test fails, and every node the test started is stopped after it.
 */
abstract class ClusterTest {
    @RegisterExtension
    final BrokerLogOnFailure brokerLog = new BrokerLogOnFailure();

    @TempDir
    Path tempDir;
    ClusterHarness cluster;

    /** Starts {@code nodes} nodes (broker and controller each) with the harness's test timings. */
    ClusterHarness startCluster(int nodes) {
        return startCluster(nodes, Map.of());
    }

    /** As {@link #startCluster(int)}, with {@code extraProps} set on every node. */
    ClusterHarness startCluster(int nodes, Map<String, String> extraProps) {
        cluster = ClusterHarness.start(getClass().getSimpleName(), nodes, tempDir, extraProps);
        cluster.processes().forEach(brokerLog::watch);
        return cluster;
    }

    @AfterEach
    void stopCluster() {
        Clients.closeAll(cluster);
    }
}

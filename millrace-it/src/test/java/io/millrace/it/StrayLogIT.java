package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic deleted while a node was down leaves no log on that node once it has caught up: the
 * node's start-up keeps every log while its metadata may be behind, then the replayed deletion,
 * or the stray-log sweep once the metadata has caught up, removes it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StrayLogIT extends ClusterTest {

    @Test
    void theLogOfATopicDeletedWhileANodeWasDownIsRemovedAfterItCatchesUp() throws Exception {
        startCluster(3);
        cluster.createTopic(cluster.admin(), "doomed", 2, 3, Map.of());
        cluster.createTopic(cluster.admin(), "kept", 1, 3, Map.of());
        Path node3 = tempDir.resolve("node-3");
        assertTrue(hasLogOf(node3, "doomed"), "node 3 hosts a replica of doomed");

        cluster.stop(3);
        Clients.get(cluster.admin().deleteTopics(List.of("doomed")).all());
        Await.until("doomed is gone from the metadata", Duration.ofSeconds(30),
                () -> !Clients.get(cluster.admin().listTopics().names()).contains("doomed"));
        assertTrue(hasLogOf(node3, "doomed"), "node 3 was down: its logs are still there");

        cluster.start(3);
        Await.until("node 3 removed its stray logs of doomed", Duration.ofSeconds(30), () -> !hasLogOf(node3, "doomed"));
        assertTrue(hasLogOf(node3, "kept"), "logs of live topics stay");
        // Replaying the deletion removes them, or, when node 3 caught up from a snapshot without the
        // topic, the stray-log sweep after catch-up does (LocalPartitionsRoleTest covers that path).
        String log = Files.readString(cluster.node(3).logFile());
        assertTrue(log.contains("Deleted partition doomed-") || log.contains("Deleting stray local log doomed-"), log);
    }

    private static boolean hasLogOf(Path dataDir, String topic) {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.map(p -> p.getFileName().toString())
                    .anyMatch(name -> name.startsWith(topic + "-") && !name.endsWith("-delete"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

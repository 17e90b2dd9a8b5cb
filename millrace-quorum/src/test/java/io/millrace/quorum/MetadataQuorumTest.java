package io.millrace.quorum;

import static io.millrace.quorum.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.log.MetadataApplyPosition;
import io.millrace.metadata.records.TopicRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetadataQuorumTest {
    @TempDir
    Path dir;

    @Test
    void appendsReachEveryPublisherInOrderAndCommandsAreForwardedToTheLeader() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.startAll();
            Map<Integer, List<String>> seen = new java.util.TreeMap<>();
            for (TestCluster.Node node : cluster.nodes.values()) {
                List<String> names = Collections.synchronizedList(new ArrayList<>());
                seen.put(node.id(), names);
                node.publisher().register((previous, next) -> next.topics().stream()
                        .map(t -> t.name()).filter(n -> previous.topic(n).isEmpty()).sorted().forEach(names::add));
            }
            for (int i = 0; i < 20; i++) {
                String name = String.format("t%02d", i);
                TestCluster.Node at = cluster.appendAtLeader(List.of(new TopicRecord(name, Uuid.randomUuid())),
                        node -> node.publisher().image().topic(name).isPresent());
                // completes after replay into the leader's own publisher
                assertTrue(at.publisher().image().topic(name).isPresent());
            }
            awaitSameImage(cluster);
            TestCluster.Node leader = cluster.awaitActive();
            List<String> expected = Stream.iterate(0, i -> i + 1).limit(20).map(i -> String.format("t%02d", i)).toList();
            for (List<String> names : seen.values()) {
                await(Duration.ofSeconds(5), "all topics seen", () -> names.size() == 20);
                assertEquals(expected, names);
            }

            TestCluster.Node follower = cluster.others(leader).get(0);
            assertFalse(follower.quorum().isActive());
            CompletionException notLeader = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> follower.quorum().append(List.of(new TopicRecord("x", Uuid.randomUuid()))).join());
            assertInstanceOf(NotControllerException.class, notLeader.getCause());

            ControllerChannel channel = follower.quorum().controllerChannel();
            List<CreateTopicResult> results = channel.createTopics(
                    List.of(new TopicSpec("forwarded", 2, (short) 3, Map.of(), Map.of())), false).get(10, TimeUnit.SECONDS);
            assertEquals(1, results.size());
            assertTrue(results.get(0).error().isSuccess());
            assertEquals(1, cluster.nodes.values().stream().mapToInt(n -> n.controller().executed.get()).sum(),
                    "ran once, on the active controller");
            awaitSameImage(cluster);
            assertEquals(2, follower.publisher().image().topic("forwarded").orElseThrow().partitionCount());
            assertEquals(1000L, channel.allocateProducerIds(1, 1000).get(10, TimeUnit.SECONDS) + 1000);

            CompletionException unsupported = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> channel.submit(new ElectLeaders(ElectLeaders.PREFERRED, null)).join());
            assertInstanceOf(UnsupportedVersionException.class, unsupported.getCause());

            QuorumInfo atLeader = leader.quorum().describe();
            assertEquals(leader.id(), atLeader.leaderId());
            assertEquals(3, atLeader.voters().size());
            await(Duration.ofSeconds(5), "followers caught up", () -> leader.quorum().describe().voters().stream()
                    .allMatch(v -> v.logEndOffset() >= leader.quorum().describe().highWatermark() - 1));
            QuorumInfo remote = follower.quorum().describeAtLeader().get(10, TimeUnit.SECONDS);
            assertEquals(leader.id(), remote.leaderId());
            assertTrue(remote.voters().stream().allMatch(v -> v.lastFetchTimestamp() > 0), remote.toString());
            assertEquals(leader.id(), follower.quorum().describe().leaderId());

            // the apply position is in the high watermark's offset space (Raft indexes) on every voter
            long highWatermark = leader.quorum().describe().highWatermark();
            for (TestCluster.Node node : cluster.nodes.values()) {
                await(Duration.ofSeconds(10), "node " + node.id() + " applied up to the high watermark", () -> {
                    MetadataApplyPosition position = node.quorum().applyPosition().orElseThrow();
                    return position.lastAppliedOffset() >= highWatermark && position.offsetLag() == 0;
                });
                assertEquals(0, node.quorum().applyPosition().orElseThrow().lagMs(System.currentTimeMillis())
                        + node.quorum().applyPosition().orElseThrow().offsetLag());
            }
        }
    }

    @Test
    void aNewLeaderTakesOverAndARestartedNodeRecovers() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.startAll();
            TestCluster.Node first = cluster.awaitActive();
            createTopic(first, "before");
            awaitSameImage(cluster);

            long stoppedAt = System.nanoTime();
            cluster.stop(first.id());
            TestCluster.Node second = cluster.awaitActive();
            System.out.printf("failover took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt));
            assertNotEquals(first.id(), second.id());
            TestCluster.Node other = cluster.others(second).get(0);
            createTopic(other, "after");  // forwarded from the remaining follower to the new leader
            awaitSameImage(cluster);

            TestCluster.Node restarted = cluster.start(first.id());
            awaitSameImage(cluster);
            assertTrue(restarted.publisher().image().topic("before").isPresent());
            assertTrue(restarted.publisher().image().topic("after").isPresent());
            createTopic(restarted, "third");
            awaitSameImage(cluster);
        }
    }

    @Test
    void snapshotsAreTakenAndReloadedOnRestart() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 5)) {
            cluster.startAll();
            for (int i = 0; i < 30; i++) {
                String name = "s" + i;
                cluster.appendAtLeader(List.of(new TopicRecord(name, Uuid.randomUuid())),
                        node -> node.publisher().image().topic(name).isPresent());
            }
            awaitSameImage(cluster);
            TestCluster.Node leader = cluster.awaitActive();
            for (int id : cluster.voters.keySet()) {
                await(Duration.ofSeconds(10), "a snapshot on node " + id, () -> !snapshots(dir.resolve("node-" + id)).isEmpty());
            }
            MetadataImage before = leader.publisher().image();

            cluster.close(); // whole cluster down: every node restarts from its snapshot plus the log after it
            cluster.startAll();
            TestCluster.Node newLeader = cluster.awaitActive();
            awaitSameImage(cluster);
            assertEquals(before.topicIdByName(), newLeader.publisher().image().topicIdByName());
            assertEquals(before.recordCount(), newLeader.publisher().image().recordCount());
            createTopic(newLeader, "after-restart");
            awaitSameImage(cluster);
        }
    }

    @Test
    void aNonVoterFollowsTheLeaderRemotely() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.startAll();
            TestCluster.Node leader = cluster.awaitActive();
            createTopic(leader, "early");
            TestCluster.Node observer = cluster.startObserver(4);
            assertFalse(observer.quorum().isActive());
            for (int i = 0; i < 5; i++) {
                createTopic(observer, "late" + i); // an observer reaches the controller through the quorum too
            }
            awaitSameImage(cluster);
            assertTrue(observer.publisher().image().topic("late4").isPresent());
            await(Duration.ofSeconds(10), "the observer's apply position caught up", () -> {
                MetadataApplyPosition position = observer.quorum().applyPosition().orElseThrow();
                return position.offsetLag() == 0
                        && position.lastAppliedOffset() == observer.publisher().image().recordCount();
            });
        }
    }

    private static void createTopic(TestCluster.Node via, String name) throws Exception {
        List<CreateTopicResult> results = via.quorum().controllerChannel()
                .createTopics(List.of(new TopicSpec(name, 1, (short) 3, Map.of(), Map.of())), false)
                .get(15, TimeUnit.SECONDS);
        assertTrue(results.get(0).error().isSuccess(), results.toString());
    }

    private static void awaitSameImage(TestCluster cluster) {
        await(Duration.ofSeconds(15), "every node at the same image", () -> {
            MetadataImage reference = null;
            for (TestCluster.Node node : cluster.nodes.values()) {
                MetadataImage image = node.publisher().image();
                if (reference == null) {
                    reference = image;
                } else if (!reference.equals(image)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static List<Path> snapshots(Path nodeDir) {
        try (Stream<Path> files = Files.walk(nodeDir)) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // a snapshot being written was renamed during the walk: look again
        }
    }
}

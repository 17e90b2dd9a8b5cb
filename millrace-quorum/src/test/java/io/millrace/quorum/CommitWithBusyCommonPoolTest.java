package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.millrace.metadata.records.TopicRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, the QuorumDurabilityIT hang: a voter must acknowledge the leader's entries even while
 * the JVM's common ForkJoinPool (CompletableFuture's default executor, one worker on a two-core
 * machine) is busy. Ratis 3.3's follower queued every append through that pool by default
 * ("append-entries compose"), and Ratis' own client blocks a thread of that pool for 3 s or more
 * whenever it resets a connection to the leader (a graceful gRPC channel shutdown): on a follower
 * whose forwarded commands to a busy leader failed, that starved its appends, so the leader's first
 * write after a failover never committed (the new controller waited 30 s on it, again and again).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitWithBusyCommonPoolTest {
    @TempDir
    Path dir;

    @Test
    void followersAcknowledgeWhileEveryCommonPoolWorkerIsBlocked() throws Exception {
        Executor defaultExecutor = new CompletableFuture<Void>().defaultExecutor();
        assumeTrue(defaultExecutor instanceof ForkJoinPool,
                "CompletableFuture runs async tasks on a thread each here: no pool to exhaust");
        ForkJoinPool pool = (ForkJoinPool) defaultExecutor;
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.startAll();
            TestCluster.Node leader = cluster.appendAtLeader(List.of(new TopicRecord("before", Uuid.randomUuid())),
                    node -> node.publisher().image().topic("before").isPresent());

            int workers = pool.getParallelism();
            CountDownLatch started = new CountDownLatch(workers);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < workers; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        release.await(); // as a thread awaiting a gRPC channel's termination
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            try {
                if (!started.await(10, TimeUnit.SECONDS)) {
                    fail("the common pool did not start " + workers + " worker(s)");
                }
                appendWithin15s(cluster, leader);
            } catch (TimeoutException e) {
                fail("no follower acknowledged the entry while the common pool (" + workers
                        + " worker(s)) was busy: the commit depends on it");
            } finally {
                release.countDown();
            }
        }
    }

    /** At the active node; again at the next one if leadership moved meanwhile (a loaded machine may flap). */
    private static void appendWithin15s(TestCluster cluster, TestCluster.Node leader) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        TestCluster.Node active = leader;
        while (true) {
            try {
                active.quorum().append(List.of(new TopicRecord("during", Uuid.randomUuid())))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotControllerException) || System.nanoTime() > deadline) {
                    throw e;
                }
                active = cluster.awaitActive();
            }
        }
    }
}

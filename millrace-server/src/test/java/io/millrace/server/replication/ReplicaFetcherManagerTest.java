package io.millrace.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
import io.millrace.wire.batch.KafkaRecords;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower copying a partition from a {@link FakeLeader} over a real socket, into a real log. */
class ReplicaFetcherManagerTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final int FOLLOWER_ID = 2;
    private static final int LEADER_ID = 1;
    private static final ReplicaFetcherConfig CONFIG = new ReplicaFetcherConfig(1024 * 1024, 10 * 1024 * 1024, 100, 1,
            20, 5_000);

    @TempDir
    Path dir;
    private PartitionLog log;
    private FakeLeader leader;
    private ReplicaFetcherManager manager;

    @AfterEach
    void tearDown() throws Exception {
        if (manager != null) {
            manager.close();
        }
        if (leader != null) {
            leader.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private static ByteBuffer batch(long baseOffset, int records, int epoch) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().baseOffset(baseOffset).partitionLeaderEpoch(epoch);
        for (int i = 0; i < records; i++) {
            builder.add(1_700_000_000_000L + baseOffset + i, "k" + (baseOffset + i), "v" + (baseOffset + i));
        }
        return builder.build();
    }

    private PartitionLog openFollowerLog() {
        log = PartitionLog.open(dir.resolve("orders-0"), TP, TOPIC_ID, LogConfig.defaults(), Time.SYSTEM, true);
        return log;
    }

    private ReplicaFetcherManager manager(java.util.function.IntFunction<Optional<InetSocketAddress>> addressOf) {
        manager = new ReplicaFetcherManager(FOLLOWER_ID, () -> 7L, addressOf, CONFIG, Time.SYSTEM);
        return manager;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private ByteBuffer followerBytes() {
        return log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true).records();
    }

    @Test
    void followerKeepsAFetchSessionAndItsIdleFetchesNameNoPartition() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 2);
        leader.sessionId = 99;
        leader.append(batch(0, 2, 0));
        leader.append(batch(2, 3, 0));
        openFollowerLog();
        manager(id -> id == LEADER_ID ? Optional.of(leader.address()) : Optional.empty());

        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 1);
        await("the follower caught up", () -> log.logEndOffset() == 5 && log.highWatermark() == 5);
        leader.append(batch(5, 4, 1));
        await("the follower caught up again", () -> log.logEndOffset() == 9 && log.highWatermark() == 9);
        assertEquals(leader.log(), followerBytes());
        await("an idle fetch", () -> leader.fetches.stream().skip(1).anyMatch(f -> f.topics().isEmpty()));

        List<FetchRequestData> fetches = List.copyOf(leader.fetches);
        assertEquals(0, fetches.getFirst().sessionEpoch(), "the first fetch is full");
        assertEquals(1, fetches.getFirst().topics().getFirst().partitions().size());
        for (int i = 1; i < fetches.size(); i++) {
            assertEquals(99, fetches.get(i).sessionId());
            assertEquals(i, fetches.get(i).sessionEpoch(), "then incremental, epoch after epoch");
        }
    }

    @Test
    void followerEndsWithTheLeadersBatchesAndHighWatermark() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 2);
        leader.append(batch(0, 2, 0));
        leader.append(batch(2, 3, 0));
        leader.append(batch(5, 1, 1));
        leader.append(batch(6, 4, 1));
        openFollowerLog();
        manager(id -> id == LEADER_ID ? Optional.of(leader.address()) : Optional.empty());

        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 1);

        await("the follower caught up", () -> log.logEndOffset() == 10 && log.highWatermark() == 10);
        assertEquals(leader.log(), followerBytes());
        assertEquals(Set.of(LEADER_ID), manager.fetcherLeaders());

        FetchRequestData first = leader.fetches.getFirst();
        assertEquals(FOLLOWER_ID, first.replicaState().replicaId());
        assertEquals(7L, first.replicaState().replicaEpoch());
        assertEquals(0, first.sessionEpoch(), "a full fetch that asks for a session (KIP-227)");
        FetchPartition asked = first.topics().getFirst().partitions().getFirst();
        assertEquals(TOPIC_ID, first.topics().getFirst().topicId());
        assertEquals(1, asked.currentLeaderEpoch());
        assertEquals(0, asked.fetchOffset());

        // New data at the leader reaches the follower; a lower high watermark is followed too.
        leader.append(batch(10, 5, 1));
        leader.highWatermark(12);
        await("the follower copied the new batch", () -> log.logEndOffset() == 15 && log.highWatermark() == 12);
        assertEquals(leader.log(), followerBytes());
    }

    @Test
    void unfollowStopsCopyingAndStopsTheIdleFetcher() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 1);
        leader.append(batch(0, 2, 0));
        openFollowerLog();
        manager(id -> Optional.of(leader.address()));
        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 0);
        await("the follower caught up", () -> log.logEndOffset() == 2);

        manager.unfollow(TP);
        assertEquals(Set.of(), manager.fetcherLeaders());
        leader.append(batch(2, 3, 0));
        int fetchesAtUnfollow = leader.fetches.size();
        Thread.sleep(300);
        assertEquals(2, log.logEndOffset());
        assertTrue(leader.fetches.size() <= fetchesAtUnfollow + 1, "at most the fetch in flight at unfollow");

        // Following again resumes from the log end.
        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 0);
        await("the follower caught up again", () -> log.logEndOffset() == 5);
        assertEquals(leader.log(), followerBytes());
    }

    @Test
    void unfollowDoesNotWaitForTheFetchInFlightAndItsAnswerIsDropped() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(0, 2, 0));
        openFollowerLog();
        manager(id -> Optional.of(leader.address()));
        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 0);
        await("the follower caught up", () -> log.logEndOffset() == 2);

        leader.holdFetches();
        leader.append(batch(2, 3, 0));
        leader.awaitHeldFetch();
        long start = System.nanoTime();
        manager.unfollow(TP);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "unfollow waited for the network");
        leader.releaseFetches();
        Thread.sleep(300);
        assertEquals(2, log.logEndOffset());
    }

    @Test
    void retriesAnUnreachableLeaderAndAsksItsAddressAgain() throws Exception {
        InetSocketAddress dead;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), closed.getLocalPort());
        }
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(0, 3, 0));
        openFollowerLog();
        AtomicInteger asked = new AtomicInteger();
        manager(id -> switch (asked.getAndIncrement()) {
            case 0 -> Optional.empty();
            case 1, 2 -> Optional.of(dead);
            default -> Optional.of(leader.address());
        });
        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 0);
        await("the follower caught up", () -> log.logEndOffset() == 3);
        assertTrue(asked.get() >= 4);

        // A dropped connection is re-established.
        leader.dropConnections();
        leader.append(batch(3, 2, 0));
        await("the follower caught up after a reconnect", () -> log.logEndOffset() == 5);
        assertEquals(leader.log(), followerBytes());
    }

    @Test
    void followerAheadOfTheLeaderTruncatesToTheLeadersHighWatermark() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(0, 4, 1));
        leader.append(batch(4, 2, 1));
        openFollowerLog();
        // The follower holds offsets 0 to 8 from an older leader; the new leader only 0 to 5.
        log.appendAsFollower(batch(0, 4, 1));
        log.appendAsFollower(batch(4, 5, 0));
        manager(id -> Optional.of(leader.address()));

        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 2);

        await("the follower truncated and caught up", () -> log.logEndOffset() == 6 && log.highWatermark() == 6);
        assertEquals(leader.log(), followerBytes());
    }

    @Test
    void followerTruncatesTheSuffixItWroteUnderADeposedLeader() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(0, 4, 1));
        leader.append(batch(4, 2, 3));
        leader.append(batch(6, 3, 3));
        openFollowerLog();
        // Offsets 4 to 8 came from the leader of epoch 2, which never got them committed.
        log.appendAsFollower(batch(0, 4, 1));
        log.appendAsFollower(batch(4, 5, 2));
        manager(id -> Optional.of(leader.address()));

        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 3);

        await("the follower truncated and caught up", () -> log.logEndOffset() == 9 && log.highWatermark() == 9
                && log.latestEpoch() == 3);
        assertEquals(leader.log(), followerBytes());
        FetchPartition firstAsk = leader.fetches.getFirst().topics().getFirst().partitions().getFirst();
        assertEquals(9, firstAsk.fetchOffset());
        assertEquals(2, firstAsk.lastFetchedEpoch());
        assertTrue(leader.fetches.stream().anyMatch(f -> f.topics().getFirst().partitions().getFirst().fetchOffset() == 4
                && f.topics().getFirst().partitions().getFirst().lastFetchedEpoch() == 1));
    }

    @Test
    void followerBelowTheLeadersLogStartRestartsThere() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(20, 3, 4));
        leader.append(batch(23, 2, 4));
        openFollowerLog();
        log.appendAsFollower(batch(0, 5, 2));
        manager(id -> Optional.of(leader.address()));

        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 4);

        await("the follower restarted at 20 and caught up", () -> log.logEndOffset() == 25);
        assertEquals(20, log.logStartOffset());
        assertEquals(leader.log(), followerBytes());
    }

    @Test
    void followsAtTheVersionBothSidesSpeak() throws Exception {
        leader = new FakeLeader(TP.topic(), TOPIC_ID, 10);
        leader.append(batch(0, 1, 0));
        openFollowerLog();
        manager(id -> Optional.of(leader.address()));
        manager.follow(new FollowedLog(TP, TOPIC_ID, log), LEADER_ID, 0);
        await("the follower caught up", () -> log.logEndOffset() == 1);
        try (NodeConnection connection = NodeConnection.open(leader.address(), "test", 1000, 1000)) {
            assertEquals(ApiKeys.FETCH.latestVersion(), connection.versionFor(ApiKeys.FETCH, (short) 12));
        }
    }
}

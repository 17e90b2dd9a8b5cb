package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.PartitionRecord;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader side of one partition over a real log: follower progress, high watermark, acks=all waiters. */
class PartitionTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final long FAR = 60_000;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(1_000_000);
    private final List<Partition> mayJoin = new ArrayList<>();
    private PartitionLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private static PartitionRecord state(List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
        return new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3), isr, leader, leaderEpoch, partitionEpoch);
    }

    private Partition leader(List<Integer> isr, int minIsr) {
        log = PartitionLog.open(dir.resolve("t-0"), TP, TOPIC_ID, LogConfig.defaults(), time, true);
        Partition partition = new Partition(1, TP, TOPIC_ID, log, state(isr, 1, 0, 0), minIsr, time, mayJoin::add);
        partition.becomeLeader(false);
        return partition;
    }

    private void append(Partition partition, int records) {
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(KafkaRecords.batchBuilder().add(time.milliseconds(), "k", "v" + i).build(),
                    partition.leaderEpoch());
            partition.onAppendedAsLeader();
        }
    }

    @Test
    void highWatermarkFollowsTheSlowestIsrMember() {
        Partition partition = leader(List.of(1, 2, 3), 1);
        append(partition, 3);
        assertEquals(0, log.highWatermark()); // followers' offsets are unknown under a new leader
        assertTrue(partition.recordFollowerFetch(2, 3, 0));
        assertEquals(0, log.highWatermark());
        partition.recordFollowerFetch(3, 2, 0);
        assertEquals(2, log.highWatermark());
        partition.recordFollowerFetch(3, 3, 0);
        assertEquals(3, log.highWatermark());
    }

    @Test
    void loneLeaderMovesTheHighWatermarkOnEveryAppend() {
        Partition partition = leader(List.of(1), 1);
        append(partition, 2);
        assertEquals(2, log.highWatermark());
    }

    @Test
    void highWatermarkNeverMovesBack() {
        Partition partition = leader(List.of(1, 2), 1);
        append(partition, 3);
        partition.recordFollowerFetch(2, 3, 0);
        assertEquals(3, log.highWatermark());
        partition.recordFollowerFetch(2, 1, 0); // a follower refetching older data
        assertEquals(3, log.highWatermark());
    }

    @Test
    void fetchOutsideTheLogOrFromAStrangerIsNotRecorded() {
        Partition partition = leader(List.of(1, 2), 1);
        append(partition, 2);
        assertTrue(partition.recordFollowerFetch(2, 5, 0)); // beyond the log end: not counted
        assertEquals(0, log.highWatermark());
        assertFalse(partition.recordFollowerFetch(9, 2, 0));
        assertFalse(partition.recordFollowerFetch(1, 2, 0)); // the leader itself is no follower
    }

    @Test
    void removingALaggardFromTheIsrLetsTheHighWatermarkAdvance() {
        Partition partition = leader(List.of(1, 2, 3), 1);
        append(partition, 4);
        partition.recordFollowerFetch(2, 4, 0);
        assertEquals(0, log.highWatermark());
        PartitionRecord before = partition.state();
        partition.updateState(state(List.of(1, 2), 1, 0, 1), 1);
        partition.leaderStateChanged(before);
        assertEquals(4, log.highWatermark());
    }

    @Test
    void signalsFireOnAppendAndOnHighWatermarkAdvance() {
        Partition partition = leader(List.of(1, 2), 1);
        CompletableFuture<Void> appended = partition.appended();
        CompletableFuture<Void> committed = partition.dataArrived();
        append(partition, 1);
        assertTrue(appended.isDone());
        assertFalse(committed.isDone());
        partition.recordFollowerFetch(2, 1, 0);
        assertTrue(committed.isDone());
    }

    @Test
    void ackAllWaiterCompletesWhenTheHighWatermarkPassesIt() {
        Partition partition = leader(List.of(1, 2), 2);
        append(partition, 2);
        CompletableFuture<Errors> waiter = partition.awaitHighWatermark(2, FAR);
        partition.recordFollowerFetch(2, 1, 0);
        assertFalse(waiter.isDone());
        partition.recordFollowerFetch(2, 2, 0);
        assertEquals(Errors.NONE, waiter.getNow(null));
        assertEquals(0, partition.waitingCommits());
    }

    @Test
    void ackAllOnACommittedAppendAnswersAtOnceWithoutAWaiter() {
        Partition partition = leader(List.of(1), 1);
        append(partition, 2);
        CompletableFuture<Errors> committed = partition.awaitHighWatermark(2, FAR);
        assertEquals(Errors.NONE, committed.getNow(null));
        assertEquals(0, partition.waitingCommits());
    }

    @Test
    void ackAllOnACommittedAppendStillChecksMinIsr() {
        Partition partition = leader(List.of(1), 2);
        append(partition, 1);
        assertEquals(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, partition.awaitHighWatermark(1, FAR).getNow(null));
        assertEquals(0, partition.waitingCommits());
    }

    @Test
    void ackAllWaiterSeesAnIsrBelowMinIsrAfterTheAppend() {
        Partition partition = leader(List.of(1, 2), 2);
        append(partition, 1);
        CompletableFuture<Errors> waiter = partition.awaitHighWatermark(1, FAR);
        PartitionRecord before = partition.state();
        partition.updateState(state(List.of(1), 1, 0, 1), 2); // follower 2 shrunk out
        partition.leaderStateChanged(before);
        assertEquals(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, waiter.getNow(null));
    }

    @Test
    void ackAllWaiterFailsWhenLeadershipIsLost() {
        Partition partition = leader(List.of(1, 2), 1);
        append(partition, 1);
        CompletableFuture<Errors> waiter = partition.awaitHighWatermark(1, FAR);
        partition.updateState(state(List.of(1, 2), 2, 1, 1), 1);
        partition.resign();
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, waiter.getNow(null));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, partition.awaitHighWatermark(1, FAR).getNow(null));
    }

    @Test
    void ackAllWaiterTimesOut() {
        Partition partition = leader(List.of(1, 2), 1);
        append(partition, 1);
        assertEquals(Errors.REQUEST_TIMED_OUT, partition.awaitHighWatermark(1, 0).join());
        // The waiter leaves the queue in a completion action that may run just after join() returns.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (partition.waitingCommits() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, partition.waitingCommits());
    }

    @Test
    void caughtUpFollowerOutsideTheIsrIsReportedAndAnInFlightExpansionCountsForTheHighWatermark() {
        Partition partition = leader(List.of(1), 1);
        append(partition, 3);
        assertEquals(3, log.highWatermark());
        partition.recordFollowerFetch(2, 2, 0);
        assertTrue(mayJoin.isEmpty()); // below the high watermark
        partition.recordFollowerFetch(2, 3, 0);
        assertEquals(List.of(partition), mayJoin);

        assertTrue(partition.beginIsrChange(0, 0, List.of(1, 2)));
        assertFalse(partition.beginIsrChange(0, 0, List.of(1, 2))); // one at a time
        assertTrue(partition.leaderView().isrChangeInFlight());
        append(partition, 1);
        assertEquals(3, log.highWatermark()); // waits for 2, which is joining
        partition.recordFollowerFetch(2, 4, 0);
        assertEquals(4, log.highWatermark());
        partition.endIsrChange(List.of(1, 2), true, -1);
        assertFalse(partition.leaderView().isrChangeInFlight());
    }

    @Test
    void newLeaderCountsIsrMembersCaughtUpNow() {
        Partition partition = leader(List.of(1, 2), 1);
        LeaderView view = partition.leaderView();
        assertEquals(time.milliseconds(), view.followers().get(2).lastCaughtUpTimeMs());
        assertEquals(0, view.followers().get(3).lastCaughtUpTimeMs());
        assertEquals(0, view.leaderEpochStartOffset());
        partition.updateState(state(List.of(1, 2), 2, 1, 1), 1);
        partition.resign();
        assertNull(partition.leaderView());
    }
}

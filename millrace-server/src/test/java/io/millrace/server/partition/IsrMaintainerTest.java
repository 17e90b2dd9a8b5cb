package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
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

/** The maintainer's requests: what it quotes, one in flight per partition, retries after errors. */
class IsrMaintainerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final long LAG_MS = 10_000;

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(1_000_000);
    private final List<AlterPartition> sent = new ArrayList<>();
    private final List<CompletableFuture<AlterPartition.Reply>> replies = new ArrayList<>();
    private PartitionLog log;

    private final ControllerChannel controller = new ControllerChannel() {
        @Override
        @SuppressWarnings("unchecked")
        public <R extends Record> CompletableFuture<R> submit(ControllerCommand<R> command) {
            sent.add((AlterPartition) command);
            CompletableFuture<AlterPartition.Reply> reply = new CompletableFuture<>();
            replies.add(reply);
            return (CompletableFuture<R>) reply;
        }
    };

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private Partition leaderOf(List<Integer> isr) {
        log = PartitionLog.open(dir.resolve("t-0"), TP, TOPIC_ID, LogConfig.defaults(), time, true);
        Partition partition = new Partition(1, TP, TOPIC_ID, log,
                new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3), isr, 1, 4, 9), 1, time, p -> { });
        partition.becomeLeader(false);
        return partition;
    }

    private IsrMaintainer maintainer() {
        return new IsrMaintainer(1, new LocalPartitions(1, null, null), controller, () -> 77L, LAG_MS, time);
    }

    @Test
    void shrinksALaggardQuotingTheEpochsItDecidedFrom() {
        Partition partition = leaderOf(List.of(1, 2, 3));
        partition.recordFollowerFetch(2, 0, 0);
        partition.recordFollowerFetch(3, 0, 0);
        log.appendAsLeader(io.millrace.wire.batch.KafkaRecords.batchBuilder().add(1, "k", "v").build(), 4);
        partition.onAppendedAsLeader();
        time.advance(LAG_MS + 1);
        partition.recordFollowerFetch(3, 1, 0); // 3 keeps up, 2 went silent
        IsrMaintainer maintainer = maintainer();

        maintainer.check(partition);
        assertEquals(1, sent.size());
        AlterPartition request = sent.get(0);
        assertEquals(1, request.brokerId());
        assertEquals(77L, request.brokerEpoch());
        assertEquals(List.of(new AlterPartition.IsrChange(TOPIC_ID, 0, 4, 9, List.of(1, 3))), request.changes());

        maintainer.check(partition); // one in flight at a time
        assertEquals(1, sent.size());

        replies.get(0).complete(new AlterPartition.Reply(ApiError.of(Errors.STALE_BROKER_EPOCH, "stale"), List.of()));
        assertFalse(partition.leaderView().isrChangeInFlight());
        maintainer.check(partition); // retried
        assertEquals(2, sent.size());
    }

    @Test
    void successfulChangeStaysInFlightUntilTheMetadataShowsIt() {
        Partition partition = leaderOf(List.of(1, 2, 3));
        time.advance(LAG_MS + 1);
        IsrMaintainer maintainer = maintainer();
        int[] shrinks = {0};
        int[] expands = {0};
        maintainer.countChanges(() -> shrinks[0]++, () -> expands[0]++);
        maintainer.check(partition);
        assertEquals(List.of(1), sent.get(0).changes().get(0).newIsr());
        PartitionRecord after = new PartitionRecord(TOPIC_ID, 0, List.of(1, 2, 3), List.of(1), 1, 4, 10);
        assertEquals(0, shrinks[0]);
        replies.get(0).complete(new AlterPartition.Reply(ApiError.NONE,
                List.of(new AlterPartition.Result(TOPIC_ID, 0, ApiError.NONE, after))));
        assertEquals(1, shrinks[0], "an accepted shrink is counted");
        assertEquals(0, expands[0]);
        assertTrue(partition.leaderView().isrChangeInFlight());
        PartitionRecord before = partition.state();
        partition.updateState(after, 1);
        partition.leaderStateChanged(before);
        assertFalse(partition.leaderView().isrChangeInFlight());
    }

    @Test
    void failedFutureIsRetried() {
        Partition partition = leaderOf(List.of(1, 2, 3));
        time.advance(LAG_MS + 1);
        IsrMaintainer maintainer = maintainer();
        maintainer.check(partition);
        replies.get(0).completeExceptionally(new RuntimeException("no controller"));
        maintainer.check(partition);
        assertEquals(2, sent.size());
    }
}

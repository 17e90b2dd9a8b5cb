package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What partition replication needs from a log: leader epochs, truncation, the high watermark checkpoint. */
class PartitionLogReplicationTest {
    private static final TopicPartition TP = new TopicPartition("replicated", 2);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;
    private final ManualTime time = new ManualTime(NOW);
    private final LogConfig config = TestConfigs.defaults().segmentBytes(500).build();
    private PartitionLog leader;
    private PartitionLog follower;

    @AfterEach
    void close() {
        for (PartitionLog log : new PartitionLog[] {leader, follower}) {
            if (log != null) {
                log.close();
            }
        }
    }

    private PartitionLog open(String name) {
        return PartitionLog.open(root.resolve(name), TP, Uuid.ZERO_UUID, config, time, true);
    }

    private PartitionLog reopen(PartitionLog log) {
        log.close();
        return PartitionLog.open(log.dir(), TP, Uuid.ZERO_UUID, config, time, true);
    }

    private static List<LeaderEpochCache.Entry> epochsOnDisk(PartitionLog log) throws Exception {
        return LeaderEpochCheckpointFile.read(log.dir()).orElseThrow();
    }

    private static LeaderEpochCache.Entry e(int epoch, long startOffset) {
        return new LeaderEpochCache.Entry(epoch, startOffset);
    }

    /** A leader with epochs 1 from 0 (offsets 0-5), 3 from 6 (6-11), 5 from 12 (12-17). */
    private PartitionLog leaderWithThreeEpochs() {
        PartitionLog log = open("leader");
        log.assignEpochStartOffset(1, 0);
        log.appendAsLeader(Batches.records(3, NOW), 1);
        log.appendAsLeader(Batches.records(3, NOW), 1);
        log.assignEpochStartOffset(3, log.logEndOffset());
        log.assignEpochStartOffset(2, log.logEndOffset()); // older: ignored
        log.appendAsLeader(Batches.records(3, NOW), 3);
        log.appendAsLeader(Batches.records(3, NOW), 3);
        log.appendAsLeader(Batches.records(6, NOW), 5); // no assignment first: the append records it
        return log;
    }

    private void copyAll(PartitionLog from, PartitionLog to) {
        long next = to.logEndOffset();
        while (next < from.logEndOffset()) {
            ByteBuffer chunk = from.read(next, 1 << 20, Long.MAX_VALUE, true).records();
            next = to.appendAsFollower(chunk).lastOffset() + 1;
        }
    }

    @Test
    void leaderAndFollowerRecordTheSameEpochs() throws Exception {
        leader = leaderWithThreeEpochs();
        assertEquals(5, leader.latestEpoch());
        assertEquals(List.of(e(1, 0), e(3, 6), e(5, 12)), epochsOnDisk(leader));
        follower = open("follower");
        assertEquals(-1, follower.latestEpoch());
        assertEquals(EpochEndOffset.UNDEFINED, follower.endOffsetForEpoch(3));
        copyAll(leader, follower); // one appendAsFollower with batches of three epochs
        assertEquals(List.of(e(1, 0), e(3, 6), e(5, 12)), epochsOnDisk(follower));
        assertEquals(5, follower.latestEpoch());
        assertEquals(new EpochEndOffset(0, 0), follower.endOffsetForEpoch(0));
        assertEquals(new EpochEndOffset(1, 6), follower.endOffsetForEpoch(1));
        assertEquals(new EpochEndOffset(3, 12), follower.endOffsetForEpoch(4));
        assertEquals(new EpochEndOffset(5, 18), follower.endOffsetForEpoch(5));
        assertEquals(new EpochEndOffset(5, 18), follower.endOffsetForEpoch(8));
        follower = reopen(follower);
        assertEquals(new EpochEndOffset(3, 12), follower.endOffsetForEpoch(3));
        assertThrows(IllegalArgumentException.class, () -> follower.assignEpochStartOffset(9, 19));
    }

    @Test
    void truncationDropsTheEpochsAboveAndAppendsContinueInANewEpoch() throws Exception {
        leader = leaderWithThreeEpochs();
        follower = open("follower");
        copyAll(leader, follower);
        follower.updateHighWatermark(7);
        follower.truncateTo(9);
        assertEquals(9, follower.logEndOffset());
        assertEquals(7, follower.highWatermark());
        assertEquals(3, follower.latestEpoch());
        assertEquals(new EpochEndOffset(3, 9), follower.endOffsetForEpoch(5));
        follower.truncateTo(7); // inside the batch 6-8: whole batches only, so the log ends at 6
        assertEquals(6, follower.logEndOffset());
        assertEquals(6, follower.highWatermark());
        assertEquals(1, follower.latestEpoch());
        ByteBuffer fromNewLeader = KafkaRecords.batchBuilder().baseOffset(6).partitionLeaderEpoch(6)
                .add(NOW, "k", "v").add(NOW, "k", "w").build();
        follower.appendAsFollower(fromNewLeader);
        assertEquals(List.of(e(1, 0), e(6, 6)), epochsOnDisk(follower));
        follower = reopen(follower);
        assertEquals(8, follower.logEndOffset());
        assertEquals(6, follower.highWatermark());
        assertEquals(new EpochEndOffset(1, 6), follower.endOffsetForEpoch(5));
        assertEquals(6, follower.latestEpoch());
    }

    @Test
    void truncatingAtTheLogEndDropsAnEpochAssignedWithoutRecords() throws Exception {
        leader = leaderWithThreeEpochs(); // ends in epoch 5
        long end = leader.logEndOffset();
        leader.assignEpochStartOffset(7, end); // elected at 7, then lost leadership before any append
        assertEquals(7, leader.latestEpoch());
        leader.truncateTo(end); // the new leader's divergence answer: keep everything, drop epoch 7
        assertEquals(end, leader.logEndOffset());
        assertEquals(5, leader.latestEpoch());
        assertEquals(List.of(e(1, 0), e(3, 6), e(5, 12)), epochsOnDisk(leader));
    }

    @Test
    void truncatingFullyRestartsTheLogEmptyAtTheOffset() throws Exception {
        follower = open("follower");
        for (int i = 0; i < 12; i++) {
            follower.appendAsLeader(Batches.idempotent(9, (short) 0, i * 3, 3, NOW), 2);
        }
        follower.updateHighWatermark(30);
        follower.truncateFullyAndStartAt(1_000);
        assertEquals(1_000, follower.logStartOffset());
        assertEquals(1_000, follower.logEndOffset());
        assertEquals(1_000, follower.highWatermark());
        assertEquals(-1, follower.latestEpoch());
        assertEquals(0, follower.read(1_000, 1 << 20, Long.MAX_VALUE, true).records().remaining());
        assertThrows(org.apache.kafka.common.errors.OffsetOutOfRangeException.class,
                () -> follower.read(0, 1 << 20, Long.MAX_VALUE, true));
        assertTrue(ProducerStateSnapshotFile.list(follower.dir()).stream().allMatch(o -> o >= 1_000));
        try (Stream<Path> files = Files.list(follower.dir())) {
            assertEquals(List.of("00000000000000001000.log"), files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".log")).toList());
        }
        ByteBuffer batch = KafkaRecords.batchBuilder().baseOffset(1_000).partitionLeaderEpoch(7)
                .producer(9, (short) 0, 36).add(NOW, "k", "v").build();
        follower.appendAsFollower(batch);
        assertEquals(7, follower.latestEpoch());
        follower = reopen(follower);
        assertEquals(1_000, follower.logStartOffset());
        assertEquals(1_001, follower.logEndOffset());
        assertEquals(List.of(e(7, 1_000)), epochsOnDisk(follower));
    }

    @Test
    void theHighWatermarkSurvivesCloseAndOpen() throws Exception {
        follower = open("follower");
        for (int i = 0; i < 5; i++) {
            follower.appendAsLeader(Batches.records(2, NOW), 0);
        }
        Path file = follower.dir().resolve(HighWatermarkCheckpoint.FILE_NAME);
        follower.updateHighWatermark(4);
        assertFalse(Files.exists(file)); // no I/O in updateHighWatermark
        follower.flush();
        assertEquals(4, HighWatermarkCheckpoint.read(follower.dir()).orElseThrow());
        follower.updateHighWatermark(6);
        follower.checkpointHighWatermark();
        assertEquals(6, HighWatermarkCheckpoint.read(follower.dir()).orElseThrow());
        follower.updateHighWatermark(7);
        follower = reopen(follower);
        assertEquals(7, follower.highWatermark());
        assertEquals(10, follower.logEndOffset());
        follower.close();
        Files.delete(file); // a log written before the checkpoint existed
        follower = reopen(follower);
        assertEquals(10, follower.highWatermark());
        follower.close();
        new HighWatermarkCheckpoint(follower.dir(), -1).write(() -> 50); // beyond a log cut by a crash
        follower = reopen(follower);
        assertEquals(10, follower.highWatermark());
    }

    @Test
    void aTornTailAfterACrashAlsoTruncatesTheEpochs() throws Exception {
        leader = open("live");
        for (int i = 0; i < 3; i++) {
            leader.appendAsLeader(Batches.records(3, NOW), 1);
        }
        leader.appendAsLeader(Batches.records(3, NOW), 4);
        assertEquals(List.of(e(1, 0), e(4, 9)), epochsOnDisk(leader));
        Path crashed = root.resolve("crashed");
        Batches.copyAsCrashed(leader.dir(), crashed);
        Path active = crashed.resolve(SegmentFiles.logFile(crashed, 0).getFileName());
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(active) - 10);
        }
        follower = PartitionLog.open(crashed, TP, Uuid.ZERO_UUID, config, time, false);
        assertEquals(9, follower.logEndOffset());
        assertEquals(1, follower.latestEpoch());
        assertEquals(List.of(e(1, 0)), LeaderEpochCheckpointFile.read(crashed).orElseThrow());
        assertEquals(new EpochEndOffset(1, 9), follower.endOffsetForEpoch(4));
    }

    @Test
    void aMissingOrDamagedCheckpointIsRebuiltFromBatchHeaders() throws Exception {
        leader = leaderWithThreeEpochs();
        assertTrue(leader.segmentSnapshot().size() > 1);
        leader.close();
        Path file = leader.dir().resolve(LeaderEpochCheckpointFile.FILE_NAME);
        Files.delete(file);
        leader = reopen(leader);
        assertEquals(List.of(e(1, 0), e(3, 6), e(5, 12)), epochsOnDisk(leader));
        leader.close();
        Files.writeString(file, "0\n7\n1 0\n");
        leader = reopen(leader);
        assertEquals(List.of(e(1, 0), e(3, 6), e(5, 12)), epochsOnDisk(leader));
    }

    @Test
    void aMovingLogStartClipsTheEpochs() throws Exception {
        leader = leaderWithThreeEpochs();
        leader.updateHighWatermark(leader.logEndOffset());
        leader.deleteRecordsBefore(8);
        assertEquals(List.of(e(3, 8), e(5, 12)), epochsOnDisk(leader));
        assertEquals(new EpochEndOffset(1, 8), leader.endOffsetForEpoch(1));
        leader = reopen(leader);
        assertEquals(List.of(e(3, 8), e(5, 12)), epochsOnDisk(leader));
    }
}

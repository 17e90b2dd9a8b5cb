package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaderEpochCacheTest {
    private static final TopicPartition TP = new TopicPartition("epochs", 0);
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private LeaderEpochCache load(long logStart, long logEnd) throws Exception {
        return LeaderEpochCache.load(dir, TP, new SegmentList(), logStart, logEnd);
    }

    private static LeaderEpochCache.Entry e(int epoch, long startOffset) {
        return new LeaderEpochCache.Entry(epoch, startOffset);
    }

    private static ByteBuffer batch(long baseOffset, int epoch, int records) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().baseOffset(baseOffset)
                .partitionLeaderEpoch(epoch);
        for (int i = 0; i < records; i++) {
            builder.add(NOW, "k", "v" + i);
        }
        return builder.build();
    }

    /** Epochs 2 from 10, 4 from 20, 7 from 35. */
    private LeaderEpochCache threeEpochs() throws Exception {
        LeaderEpochCache cache = load(0, 0);
        cache.assign(2, 10);
        cache.assign(4, 20);
        cache.assign(7, 35);
        return cache;
    }

    @Test
    void assignAddsOnlyNewerEpochsAndReplacesAnEpochThatGotNoRecord() throws Exception {
        LeaderEpochCache cache = load(0, 0);
        assertEquals(-1, cache.latestEpoch());
        cache.assign(3, 0);
        cache.assign(3, 5);
        cache.assign(2, 9);
        assertEquals(List.of(e(3, 0)), cache.entries());
        cache.assign(5, 100);
        cache.assign(6, 100); // epoch 5 never got a record
        assertEquals(List.of(e(3, 0), e(6, 100)), cache.entries());
        assertEquals(6, cache.latestEpoch());
    }

    @Test
    void appendedBatchesAddAnEntryPerNewerEpoch() throws Exception {
        LeaderEpochCache cache = load(0, 0);
        cache.onAppend(Batches.concat(batch(0, 1, 2), batch(2, 1, 3), batch(5, 3, 1), batch(6, 2, 1), batch(7, 5, 2),
                batch(9, -1, 1)));
        assertEquals(List.of(e(1, 0), e(3, 5), e(5, 7)), cache.entries());
        cache.onAppend(batch(9, 5, 1));
        assertEquals(List.of(e(1, 0), e(3, 5), e(5, 7)), cache.entries());
    }

    @Test
    void truncatingFromTheEndDropsEntriesStartingAtOrAfterTheOffset() throws Exception {
        LeaderEpochCache cache = threeEpochs();
        cache.truncateFromEnd(40);
        assertEquals(3, cache.entries().size());
        cache.truncateFromEnd(35);
        assertEquals(List.of(e(2, 10), e(4, 20)), cache.entries());
        cache.truncateFromEnd(5);
        assertEquals(List.of(), cache.entries());
    }

    @Test
    void aNewLogStartClipsTheEntryHoldingItAndDropsOlderOnes() throws Exception {
        LeaderEpochCache cache = threeEpochs();
        cache.truncateFromStart(5);
        assertEquals(List.of(e(2, 10), e(4, 20), e(7, 35)), cache.entries());
        cache.truncateFromStart(10);
        assertEquals(List.of(e(2, 10), e(4, 20), e(7, 35)), cache.entries());
        cache.truncateFromStart(25);
        assertEquals(List.of(e(4, 25), e(7, 35)), cache.entries());
        cache.truncateFromStart(35);
        assertEquals(List.of(e(7, 35)), cache.entries());
        cache.truncateFromStart(60);
        assertEquals(List.of(e(7, 60)), cache.entries());
    }

    @Test
    void theCheckpointRoundTripsInKafkasTextFormat() throws Exception {
        threeEpochs();
        Path file = dir.resolve(LeaderEpochCheckpointFile.FILE_NAME);
        assertEquals("0\n3\n2 10\n4 20\n7 35\n", Files.readString(file));
        assertEquals(List.of(e(2, 10), e(4, 20), e(7, 35)), load(0, 50).entries());
        // Loading cuts to the log's bounds and writes the result.
        assertEquals(List.of(e(2, 12), e(4, 20)), load(12, 30).entries());
        assertEquals("0\n2\n2 12\n4 20\n", Files.readString(file));
        LeaderEpochCache cache = load(12, 30);
        cache.clear();
        assertEquals("0\n0\n", Files.readString(file));
        assertEquals(List.of(), load(0, 30).entries());
    }

    @Test
    void aDamagedOrMissingCheckpointIsRebuiltFromTheSegments() throws Exception {
        threeEpochs();
        Path file = dir.resolve(LeaderEpochCheckpointFile.FILE_NAME);
        for (String damaged : List.of("1\n1\n2 10\n", "0\n2\n2 10\n", "0\n2\n4 10\n2 20\n", "0\n1\n2 x\n", "")) {
            Files.writeString(file, damaged, StandardCharsets.UTF_8);
            assertTrue(LeaderEpochCheckpointFile.read(dir).isEmpty(), damaged);
            assertEquals(List.of(), load(0, 50).entries()); // no segments here: nothing to rebuild from
            assertEquals("0\n0\n", Files.readString(file));
        }
        Files.delete(file);
        assertEquals(List.of(), load(0, 50).entries());
        assertTrue(Files.exists(file));
    }

    @ParameterizedTest(name = "epoch {0} -> ({1}, {2})")
    @CsvSource({
        "-1, -1, -1",   // undefined epoch asked
        "0, 0, 10",     // below the first epoch: the asked epoch, where the first known one starts (KIP-279)
        "1, 1, 10",
        "2, 2, 20",     // equal to an epoch: where the next starts
        "3, 2, 20",     // between: the largest epoch below, where the next starts
        "4, 4, 35",
        "6, 4, 35",
        "7, 7, 50",     // the latest: the log end offset
        "9, 7, 50",     // above the latest: the latest and the log end offset
    })
    void endOffsetForEpoch(int asked, int epoch, long endOffset) throws Exception {
        assertEquals(new EpochEndOffset(epoch, endOffset), threeEpochs().endOffsetFor(asked, 50));
    }

    @Test
    void anEmptyCacheKnowsNoEpoch() throws Exception {
        assertEquals(EpochEndOffset.UNDEFINED, load(0, 0).endOffsetFor(3, 10));
    }
}

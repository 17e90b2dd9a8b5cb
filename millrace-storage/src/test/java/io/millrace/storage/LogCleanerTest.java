package io.millrace.storage;

import static io.millrace.storage.CompactedLogFixture.HOUR;
import static io.millrace.storage.CompactedLogFixture.NOW;
import static io.millrace.storage.KeyedRecords.offsets;
import static io.millrace.storage.KeyedRecords.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.BatchCompression;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.InvalidRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogCleanerTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheLatestValueOfEachKeyAtItsOriginalOffset() throws Exception {
        LogConfig config = TestConfigs.defaults().segmentBytes(1024).fileDeleteDelayMs(0)
                .compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        Map<Long, String> written = new LinkedHashMap<>();
        long activeBase;
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            for (int i = 0; i < 300; i++) {
                String key = "k" + (i % 20);
                written.put(KeyedRecords.append(f.log, KeyedRecords.batch(NOW + i, key, "v" + i)).firstOffset(), key);
            }
            activeBase = f.activeBase();
            assertTrue(activeBase > 200, "many segments rolled; active from " + activeBase);

            assertTrue(f.cleaner.cleanOnce());

            List<KeyedRecords.Rec> records = records(f.log);
            assertEquals(CompactedLogFixture.expectedOffsets(written, activeBase), offsets(records));
            for (KeyedRecords.Rec record : records) {
                assertEquals("v" + record.offset(), record.value(), "kept records keep their offsets");
                assertEquals(NOW + record.offset(), record.timestamp());
            }
            assertEquals(0, f.log.logStartOffset());
            assertEquals(300, f.log.logEndOffset());

            long firstKept = records.get(0).offset();
            assertEquals(firstKept, f.log.offsetForTimestamp(NOW).orElseThrow().offset(),
                    "timestamp lookups skip what was removed");
            ByteBuffer fromZero = f.log.read(0, 10_000, 300, true).records();
            assertEquals(firstKept, Batches.offsetsIn(fromZero).get(0), "a read from a removed offset starts at the next kept one");
            assertEquals(299, f.log.maxTimestamp().orElseThrow().offset());
            assertFalse(f.cleaner.cleanOnce(), "nothing dirty is left");

            f.reopen();
            assertEquals(CompactedLogFixture.expectedOffsets(written, activeBase), offsets(records(f.log)));
            assertEquals(activeBase, CleanerCheckpoint.read(dir).orElseThrow().firstDirtyOffset());
            assertFalse(f.cleaner.cleanOnce(), "the checkpoint survives a restart: no work is repeated");
        }
    }

    @Test
    void tombstonesStayDeleteRetentionMsAfterTheirFirstCleaningThenGo() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            f.appendSpaced("a", "1", "b", "1", "a", "2", "b", null, "c", "1", "x", "active");
            f.time.advance(10 * HOUR); // written long ago: the horizon counts from the first cleaning

            assertTrue(f.cleaner.cleanOnce());
            assertEquals(List.of(2L, 3L, 4L, 5L), offsets(records(f.log)));
            assertNull(records(f.log).get(1).value(), "the tombstone is kept for now");
            RecordBatchHeader tombstoneBatch = new RecordBatchHeader().wrap(f.log.read(3, 1000, 4, true).records(), 0);
            assertTrue(tombstoneBatch.hasDeleteHorizon());
            assertEquals(f.time.milliseconds() + HOUR, tombstoneBatch.baseTimestamp());
            assertEquals(NOW + 3 * CompactedLogFixture.BATCH_SPACING_MS, records(f.log).get(1).timestamp(),
                    "record timestamps survive the rebase on the horizon");

            f.time.advance(HOUR - 1);
            assertFalse(f.cleaner.cleanOnce());
            assertEquals(List.of(2L, 3L, 4L, 5L), offsets(records(f.log)));

            f.time.advance(1);
            assertTrue(f.cleaner.cleanOnce(), "the passed horizon triggers a cleaning by itself");
            assertEquals(List.of(2L, 4L, 5L), offsets(records(f.log)));
            assertEquals(-1, f.log.cleanerHooks().checkpoint().nextDeleteHorizonMs());
            assertEquals(6, f.log.logEndOffset());
        }
    }

    @Test
    void recordsYoungerThanMinCompactionLagAreNotCleaned() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.01, HOUR, Long.MAX_VALUE)
                .build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            f.appendSpaced("a", "1", "a", "2", "a", "3", "a", "4", "a", "5", "x", "active");
            f.time.advance(HOUR - 1);
            assertFalse(f.cleaner.cleanOnce(), "every segment holds a record younger than the lag");

            // Now the segments of offsets 0 and 1 are older than the lag; 2 (stamped 200 ms later) is not.
            f.time.advance(2 + CompactedLogFixture.BATCH_SPACING_MS);
            assertTrue(f.cleaner.cleanOnce());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(records(f.log)));
            assertEquals(2, f.log.cleanerHooks().checkpoint().firstDirtyOffset());

            f.time.advance(HOUR);
            assertTrue(f.cleaner.cleanOnce());
            assertEquals(List.of(4L, 5L), offsets(records(f.log)));
        }
    }

    @Test
    void aLogIsCleanedOnlyOnceItsDirtyRatioReachesTheMinimum() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            for (int i = 0; i < 10; i++) {
                f.appendSpaced("k" + i, "first");
            }
            f.appendSpaced("x", "active");
            assertTrue(f.cleaner.cleanOnce());
            int belowThreshold = 0;
            for (int i = 0; f.plan().dirtyRatio() < 0.5; i++) {
                if (f.plan().dirtyBytes() > 0) {
                    belowThreshold++;
                }
                assertFalse(f.cleaner.cleanOnce(), "dirty ratio " + f.plan().dirtyRatio());
                f.appendSpaced("k" + i, "second");
            }
            assertTrue(belowThreshold >= 5, "the threshold held back several rounds: " + belowThreshold);
            assertTrue(f.cleaner.cleanOnce());
        }
    }

    @Test
    void aDirtyRecordOlderThanMaxCompactionLagForcesACleaning() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().compaction(false, HOUR, 1.0, 0, HOUR).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            f.appendSpaced("a", "1", "b", "1", "x", "1");
            assertTrue(f.cleaner.cleanOnce(), "all dirty: ratio 1");
            f.appendSpaced("a", "2", "b", "2", "y", "active");
            assertFalse(f.cleaner.cleanOnce(), "ratio below 1.0");
            f.time.advance(HOUR + 1_000);
            assertTrue(f.cleaner.cleanOnce(), "overdue by max.compaction.lag.ms");
            assertEquals(List.of(2L, 3L, 4L, 5L), offsets(records(f.log)));
        }
    }

    @Test
    void maxCompactionLagAlsoRollsTheActiveSegment() {
        LogConfig config = TestConfigs.defaults().compaction(false, HOUR, 0.5, 0, 1_000).build();
        assertEquals(1_000, config.rollMs());
        assertEquals(config.segmentMs(), TestConfigs.defaults().build().rollMs(), "only for compacted logs");
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            KeyedRecords.append(f.log, KeyedRecords.batch(NOW, "a", "1"));
            KeyedRecords.append(f.log, KeyedRecords.batch(NOW + 900, "a", "2"));
            assertEquals(1, f.log.segmentSnapshot().size());
            KeyedRecords.append(f.log, KeyedRecords.batch(NOW + 1_500, "a", "3"));
            assertEquals(2, f.log.segmentSnapshot().size(), "the active segment rolled so its records can be cleaned");
        }
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void cleansCompressedBatchesKeepingTheirCodec(BatchCompression codec) throws Exception {
        LogConfig config = TestConfigs.defaults().segmentBytes(1500).fileDeleteDelayMs(0)
                .compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        Map<Long, String> written = new LinkedHashMap<>();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            for (int b = 0; b < 60; b++) {
                KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder().compression(codec);
                for (int r = 0; r < 4; r++) {
                    int n = b * 4 + r;
                    builder.add(NOW + n, "key-" + (n % 7), "value-" + n + "-" + "x".repeat(20));
                }
                long first = KeyedRecords.append(f.log, builder.build()).firstOffset();
                for (int r = 0; r < 4; r++) {
                    written.put(first + r, "key-" + ((b * 4 + r) % 7));
                }
            }
            long activeBase = f.activeBase();
            assertTrue(f.cleaner.cleanOnce());
            List<KeyedRecords.BatchView> batches = KeyedRecords.batches(f.log);
            for (KeyedRecords.BatchView batch : batches) {
                assertTrue(batch.crcValid());
                assertEquals(codec, batch.compression());
                for (KeyedRecords.Rec record : batch.contents()) {
                    assertTrue(record.value().startsWith("value-" + record.offset() + "-"));
                }
            }
            assertEquals(CompactedLogFixture.expectedOffsets(written, activeBase), offsets(records(f.log)));
        }
    }

    @ParameterizedTest
    @EnumSource(BatchCompression.class)
    void aCompactedLogRejectsRecordsWithoutKeys(BatchCompression codec) {
        LogConfig compacted = TestConfigs.defaults().compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, compacted)) {
            ByteBuffer keyless = KeyedRecords.builder(codec, NOW, "k", "v").add(NOW, (String) null, "no key").build();
            RejectedRecordsException e = assertThrows(RejectedRecordsException.class,
                    () -> f.log.appendAsLeader(keyless, 0));
            assertInstanceOf(InvalidRecordException.class, e.partitionError());
            assertTrue(e.getMessage().contains("Compacted topic cannot accept message without key"), e.getMessage());
            assertEquals(List.of(new RecordError(1, "Compacted topic cannot accept message without key in topic "
                    + "partition " + f.log.topicPartition())), e.recordErrors());
            assertEquals(0, f.log.logEndOffset(), "nothing of the batch was written");
            f.log.updateConfig(TestConfigs.defaults().build());
            f.log.appendAsLeader(KeyedRecords.builder(codec, NOW, "k", "v").add(NOW, (String) null, "x").build(), 0);
            assertEquals(2, f.log.logEndOffset(), "a delete-policy log takes keyless records");
        }
    }

    @Test
    void withCompactAndDeleteRetentionStillDeletesOldSegments() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().retention(2 * HOUR, -1)
                .compaction(true, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            f.appendSpaced("a", "1", "b", "1", "a", "2", "b", "2", "x", "active");
            assertTrue(f.cleaner.cleanOnce());
            assertEquals(List.of(2L, 3L, 4L), offsets(records(f.log)));
            f.time.advance(3 * HOUR);
            assertTrue(f.log.deleteExpiredSegments() > 0);
            assertEquals(5, f.log.logStartOffset(), "retention removed the cleaned segments too");
        }
    }

    @Test
    void aSmallDedupeBufferCleansInSeveralRoundsToTheSameResult() throws Exception {
        LogConfig config = TestConfigs.defaults().segmentBytes(1024).fileDeleteDelayMs(0)
                .compaction(false, HOUR, 0.01, 0, Long.MAX_VALUE).build();
        CleanerConfig tiny = new CleanerConfig(true, 1, OffsetMap.BYTES_PER_SLOT * 64, 0.9, 64 * 1024,
                Double.MAX_VALUE, 10);
        Map<Long, String> written = new LinkedHashMap<>();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config, tiny)) {
            for (int i = 0; i < 400; i++) {
                String key = "k" + (i * 7 % 150);
                written.put(KeyedRecords.append(f.log, KeyedRecords.batch(NOW + i, key, "v" + i)).firstOffset(), key);
            }
            long activeBase = f.activeBase();
            int rounds = 0;
            while (f.cleaner.cleanOnce()) {
                rounds++;
                assertTrue(rounds < 50);
            }
            assertTrue(rounds >= 3, "the 57-key map needed several rounds: " + rounds);
            assertEquals(CompactedLogFixture.expectedOffsets(written, activeBase), offsets(records(f.log)));
        }
    }

    @Test
    void replacedSegmentsStayReadableUntilFileDeleteDelayPasses() throws Exception {
        LogConfig config = CompactedLogFixture.onePerSegment().fileDeleteDelayMs(60_000)
                .compaction(false, HOUR, 0.5, 0, Long.MAX_VALUE).build();
        try (CompactedLogFixture f = new CompactedLogFixture(dir, config)) {
            f.appendSpaced("a", "1", "a", "2", "a", "3", "x", "active");
            LogSegment old = f.log.segmentSnapshot().get(0);
            assertTrue(f.cleaner.cleanOnce());
            assertEquals(2, f.log.segmentSnapshot().size(), "the three small segments became one");
            assertEquals(3, f.cleaner.deletions().size(), "the three replaced segments await deletion");
            assertTrue(old.logFile().toString().endsWith(".log.deleted"));
            assertTrue(old.read(0, 1000, 10, true).hasRemaining(), "a reader holding the old segment still reads it");
            f.time.advance(60_000);
            f.cleaner.deletions().runDue(f.time.milliseconds());
            assertEquals(0, f.cleaner.deletions().size());
            assertFalse(java.nio.file.Files.exists(old.logFile()));
        }
    }
}

package io.millrace.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** A compacted log on a manual clock with a cleaner driven by hand, for the cleaner tests. */
final class CompactedLogFixture implements AutoCloseable {
    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final TopicPartition TP = new TopicPartition("compacted", 0);
    /** Batches 100 ms apart roll a segment each under this segment.ms. */
    static final long SEGMENT_MS = 50;
    static final long BATCH_SPACING_MS = 100;

    final Path dir;
    final ManualTime time = new ManualTime(NOW);
    PartitionLog log;
    LogCleaner cleaner;
    private final CleanerConfig cleanerConfig;

    CompactedLogFixture(Path dir, LogConfig config) {
        this(dir, config, new CleanerConfig(true, 1, 1024 * 1024, 0.9, 128 * 1024, Double.MAX_VALUE, 10));
    }

    CompactedLogFixture(Path dir, LogConfig config, CleanerConfig cleanerConfig) {
        this.dir = dir;
        this.cleanerConfig = cleanerConfig;
        open(config);
    }

    /** segment.ms small enough that each batch written by {@link #appendSpaced} rolls a segment. */
    static TestConfigs.Builder onePerSegment() {
        return TestConfigs.defaults().segmentMs(SEGMENT_MS).fileDeleteDelayMs(0);
    }

    void open(LogConfig config) {
        log = PartitionLog.open(dir, TP, Uuid.ZERO_UUID, config, time, true);
        cleaner = new LogCleaner(cleanerConfig, time, () -> List.of(log));
    }

    void reopen() {
        LogConfig config = log.config();
        close();
        open(config);
    }

    /**
     * Appends one single-record batch per key/value pair, the n-th stamped NOW + n * 100 ms (so
     * each rolls a segment under {@link #onePerSegment()}); returns the offsets.
     */
    List<Long> appendSpaced(String... keysAndValues) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            long timestamp = NOW + log.logEndOffset() * BATCH_SPACING_MS;
            offsets.add(KeyedRecords.append(log, KeyedRecords.batch(timestamp, keysAndValues[i], keysAndValues[i + 1]))
                    .firstOffset());
        }
        return offsets;
    }

    long activeBase() {
        List<LogSegment> segments = log.segmentSnapshot();
        return segments.get(segments.size() - 1).baseOffset();
    }

    CleanablePlan plan() throws Exception {
        List<LogSegment> segments = log.segmentSnapshot();
        return CleanablePlan.of(CleanablePlan.describe(segments, log.logEndOffset(),
                log.cleanerHooks().checkpoint().firstDirtyOffset(), true), log.cleanerHooks().checkpoint(), log.logStartOffset(),
                log.highWatermark(), log.config(), time.milliseconds());
    }

    /**
     * What a full cleaning must leave of {@code written} (offset → key): below {@code cleanedUpTo}
     * only each key's last record there; everything from it on.
     */
    static List<Long> expectedOffsets(Map<Long, String> written, long cleanedUpTo) {
        Map<String, Long> lastBelow = new HashMap<>();
        written.forEach((offset, key) -> {
            if (offset < cleanedUpTo) {
                lastBelow.merge(key, offset, Math::max);
            }
        });
        return written.keySet().stream().sorted()
                .filter(o -> o >= cleanedUpTo || lastBelow.get(written.get(o)).equals(o)).toList();
    }

    @Override
    public void close() {
        cleaner.shutdown();
        log.close();
    }
}

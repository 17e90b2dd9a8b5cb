package io.millrace.storage;

import org.apache.kafka.common.record.TimestampType;

/** LogConfig variants for tests (the record has twenty components). */
final class TestConfigs {
    private TestConfigs() {
    }

    static Builder defaults() {
        return new Builder(LogConfig.defaults());
    }

    static final class Builder {
        private LogConfig c;

        Builder(LogConfig c) {
            this.c = c;
        }

        Builder segmentBytes(int v) {
            c = new LogConfig(v, c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(), c.compact(),
                    c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder segmentMs(long v) {
            c = new LogConfig(c.segmentBytes(), v, c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(), c.compact(),
                    c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder retention(long ms, long bytes) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), ms, bytes, c.maxMessageBytes(), c.compact(),
                    c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder cleanup(boolean delete, boolean compact) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    compact, delete, c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder maxMessageBytes(int v) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), v, c.compact(),
                    c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder timestamps(TimestampType type, long beforeMaxMs, long afterMaxMs) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    c.compact(), c.delete(), type, beforeMaxMs, afterMaxMs,
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder flush(long messages, long ms) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    c.compact(), c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    messages, ms, c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder index(int intervalBytes, int indexBytes) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    c.compact(), c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), intervalBytes, indexBytes,
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        Builder preallocate(boolean v) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    c.compact(), c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), v);
            return this;
        }

        /** cleanup.policy=compact (with delete when {@code alsoDelete}) and the compaction settings. */
        Builder compaction(boolean alsoDelete, long deleteRetentionMs, double minCleanableDirtyRatio,
                           long minCompactionLagMs, long maxCompactionLagMs) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    true, alsoDelete, c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    c.fileDeleteDelayMs(), deleteRetentionMs, minCleanableDirtyRatio, minCompactionLagMs,
                    maxCompactionLagMs, c.preallocate());
            return this;
        }

        Builder fileDeleteDelayMs(long v) {
            c = new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.maxMessageBytes(),
                    c.compact(), c.delete(), c.timestampType(), c.timestampBeforeMaxMs(), c.timestampAfterMaxMs(),
                    c.flushIntervalMessages(), c.flushIntervalMs(), c.indexIntervalBytes(), c.segmentIndexBytes(),
                    v, c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.minCompactionLagMs(),
                    c.maxCompactionLagMs(), c.preallocate());
            return this;
        }

        LogConfig build() {
            return c;
        }
    }
}

package io.millrace.storage;

import org.apache.kafka.common.record.TimestampType;

/**
 * The effective, typed settings of one partition log, resolved from topic overrides and broker
 * defaults by the caller (the server). Immutable; a config change swaps in a new instance.
 *
 * @param segmentBytes          segment.bytes: roll when the active segment would exceed this
 * @param segmentMs             segment.ms: roll when the active segment's first batch is older
 * @param retentionMs           retention.ms, -1 for no time limit
 * @param retentionBytes        retention.bytes per partition, -1 for no size limit
 * @param maxMessageBytes       max.message.bytes: largest batch accepted
 * @param compact               cleanup.policy contains compact
 * @param delete                cleanup.policy contains delete
 * @param timestampType         message.timestamp.type
 * @param timestampBeforeMaxMs  message.timestamp.before.max.ms
 * @param timestampAfterMaxMs   message.timestamp.after.max.ms
 * @param flushIntervalMessages flush.messages: fsync after this many messages
 * @param flushIntervalMs       flush.ms: fsync when unflushed data is older than this
 * @param indexIntervalBytes    index.interval.bytes: an index entry every this many bytes
 * @param segmentIndexBytes     segment.index.bytes: preallocated size of each index file
 * @param fileDeleteDelayMs     file.delete.delay.ms: wait before deleting a removed segment's files
 * @param deleteRetentionMs     delete.retention.ms: how long tombstones outlive their first cleaning
 * @param minCleanableDirtyRatio min.cleanable.dirty.ratio: least share of dirty bytes before a log is cleaned
 * @param minCompactionLagMs    min.compaction.lag.ms: records younger than this are not cleaned
 * @param maxCompactionLagMs    max.compaction.lag.ms: a dirty record older than this forces a cleaning
 * @param preallocate           preallocate
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        boolean compact,
        boolean delete,
        TimestampType timestampType,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        long flushIntervalMessages,
        long flushIntervalMs,
        int indexIntervalBytes,
        int segmentIndexBytes,
        long fileDeleteDelayMs,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        boolean preallocate) {

    /**
     * How long the active segment stays open: segment.ms, or max.compaction.lag.ms when that is
     * shorter on a compacted log (the active segment is never cleaned, so it must roll for its
     * records to meet the lag).
     */
    public long rollMs() {
        return compact && maxCompactionLagMs > 0 ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
    }

    /** Apache Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, 7L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, -1,
                1024 * 1024 + 12, false, true, TimestampType.CREATE_TIME, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE, 4096, 10 * 1024 * 1024, 60_000, 24L * 3600 * 1000, 0.5, 0,
                Long.MAX_VALUE, false);
    }
}

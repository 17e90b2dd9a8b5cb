package io.millrace.storage;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;

/**
 * The broker-wide settings of the log cleaner (compaction); the per-topic ones
 * (min.cleanable.dirty.ratio, delete.retention.ms, min/max.compaction.lag.ms) are in
 * {@link LogConfig}. Immutable.
 *
 * @param enabled             log.cleaner.enable: whether compacted logs are cleaned at all
 * @param threads             log.cleaner.threads: cleaner threads ("log-cleaner-N"); 0 disables
 * @param dedupeBufferBytes   log.cleaner.dedupe.buffer.size: offset-map memory shared by the threads
 * @param dedupeLoadFactor    log.cleaner.io.buffer.load.factor: how full an offset map may get
 * @param ioBufferBytes       log.cleaner.io.buffer.size: read and write buffer memory shared by the threads
 * @param ioMaxBytesPerSecond log.cleaner.io.max.bytes.per.second: reads plus writes of all threads
 * @param backoffMs           log.cleaner.backoff.ms: how long a thread sleeps when no log needs cleaning
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferBytes, double dedupeLoadFactor,
                            int ioBufferBytes, double ioMaxBytesPerSecond, long backoffMs) {

    /** Kafka caps each thread's offset map at 2 GiB; so do we (a Java array holds under 2³¹ longs anyway). */
    static final long MAX_DEDUPE_BYTES_PER_THREAD = Integer.MAX_VALUE;

    /** Apache Kafka's defaults. */
    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 128L * 1024 * 1024, 0.9, 512 * 1024, Double.MAX_VALUE, 15_000);
    }

    /** The settings in a broker's configuration (server.properties and their defaults). */
    public static CleanerConfig from(BrokerConfig config) {
        return new CleanerConfig(
                config.getBoolean(BrokerConfigs.LOG_CLEANER_ENABLE),
                config.getInt("log.cleaner.threads"),
                config.getLong("log.cleaner.dedupe.buffer.size"),
                config.getDouble("log.cleaner.io.buffer.load.factor"),
                config.getInt("log.cleaner.io.buffer.size"),
                config.getDouble("log.cleaner.io.max.bytes.per.second"),
                config.getLong("log.cleaner.backoff.ms"));
    }

    /** Whether any cleaner thread runs. */
    public boolean runs() {
        return enabled && threads > 0;
    }

    /** Offset-map memory of one thread. */
    long dedupeBytesPerThread() {
        return Math.min(MAX_DEDUPE_BYTES_PER_THREAD, dedupeBufferBytes / Math.max(1, threads));
    }

    /** Read (and, as much again, write) buffer of one thread. */
    int ioBufferBytesPerThread() {
        return Math.max(64 * 1024, ioBufferBytes / Math.max(1, threads) / 2);
    }
}

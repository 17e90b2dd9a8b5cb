package io.millrace.coordinator;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;

/**
 * The broker settings the group coordinator reads, fixed at start-up.
 *
 * @param numPartitions                   offsets.topic.num.partitions
 * @param threads                         group.coordinator.threads
 * @param offsetsRetentionMs              offsets.retention.minutes, in ms
 * @param offsetsRetentionCheckIntervalMs offsets.retention.check.interval.ms
 * @param offsetMetadataMaxBytes          offset.metadata.max.bytes
 * @param initialRebalanceDelayMs         group.initial.rebalance.delay.ms
 * @param minSessionTimeoutMs             group.min.session.timeout.ms
 * @param maxSessionTimeoutMs             group.max.session.timeout.ms
 * @param maxGroupSize                    group.max.size
 */
public record GroupCoordinatorConfig(int numPartitions, int threads, long offsetsRetentionMs,
                                     long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes,
                                     int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int maxGroupSize) {

    public static GroupCoordinatorConfig from(BrokerConfig config) {
        return new GroupCoordinatorConfig(
                config.offsetsTopicNumPartitions(),
                config.getInt("group.coordinator.threads"),
                config.getInt(BrokerConfigs.OFFSETS_RETENTION_MINUTES) * 60_000L,
                config.getLong("offsets.retention.check.interval.ms"),
                config.getInt("offset.metadata.max.bytes"),
                config.getInt(BrokerConfigs.GROUP_INITIAL_REBALANCE_DELAY_MS),
                config.getInt(BrokerConfigs.GROUP_MIN_SESSION_TIMEOUT_MS),
                config.getInt(BrokerConfigs.GROUP_MAX_SESSION_TIMEOUT_MS),
                config.getInt("group.max.size"));
    }

    /** Kafka's defaults with {@code numPartitions} partitions; for tests. */
    public static GroupCoordinatorConfig defaults(int numPartitions) {
        return new GroupCoordinatorConfig(numPartitions, 1, 7 * 24 * 3_600_000L, 600_000L, 4096, 3000, 6000,
                1_800_000, Integer.MAX_VALUE);
    }
}

package io.millrace.coordinator.streams;

import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupConfigOverrides;

/**
 * The broker settings streams groups (KIP-1071) follow, with Kafka's names and defaults, and
 * the group-level overrides ({@code streams.session.timeout.ms}, ...) read per group.
 *
 * @param sessionTimeoutMs      {@code group.streams.session.timeout.ms}
 * @param heartbeatIntervalMs   {@code group.streams.heartbeat.interval.ms}
 * @param maxSize               {@code group.streams.max.size}
 * @param numStandbyReplicas    {@code group.streams.num.standby.replicas}
 * @param taskOffsetIntervalMs  {@code group.streams.task.offset.interval.ms}, told to members
 * @param acceptableRecoveryLag {@code group.streams.acceptable.recovery.lag}, told to members
 */
public record StreamsGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize, int numStandbyReplicas,
                                 int taskOffsetIntervalMs, long acceptableRecoveryLag,
                                 GroupConfigOverrides overrides) {
    public static final String SESSION_TIMEOUT_MS = "group.streams.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "group.streams.heartbeat.interval.ms";
    public static final String MAX_SIZE = "group.streams.max.size";
    public static final String NUM_STANDBY_REPLICAS = "group.streams.num.standby.replicas";
    public static final String TASK_OFFSET_INTERVAL_MS = "group.streams.task.offset.interval.ms";
    public static final String ACCEPTABLE_RECOVERY_LAG = "group.streams.acceptable.recovery.lag";

    /** Group-level keys (IncrementalAlterConfigs on a GROUP resource). */
    public static final String GROUP_SESSION_TIMEOUT_MS = "streams.session.timeout.ms";
    public static final String GROUP_HEARTBEAT_INTERVAL_MS = "streams.heartbeat.interval.ms";
    public static final String GROUP_NUM_STANDBY_REPLICAS = "streams.num.standby.replicas";

    /** Kafka's defaults: 45 s session, 5 s heartbeat, unbounded size, no standbys, 60 s task offsets, lag 10000. */
    public static StreamsGroupConfig defaults() {
        return new StreamsGroupConfig(45_000, 5_000, Integer.MAX_VALUE, 0, 60_000, 10_000L, GroupConfigOverrides.NONE);
    }

    public static StreamsGroupConfig from(BrokerConfig config) {
        return new StreamsGroupConfig(config.getInt(SESSION_TIMEOUT_MS), config.getInt(HEARTBEAT_INTERVAL_MS),
                config.getInt(MAX_SIZE), config.getInt(NUM_STANDBY_REPLICAS), config.getInt(TASK_OFFSET_INTERVAL_MS),
                ((Number) config.get(ACCEPTABLE_RECOVERY_LAG)).longValue(), GroupConfigOverrides.NONE);
    }

    public StreamsGroupConfig withOverrides(GroupConfigOverrides overrides) {
        return new StreamsGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, maxSize, numStandbyReplicas,
                taskOffsetIntervalMs, acceptableRecoveryLag, overrides);
    }

    public int sessionTimeoutMs(String groupId) {
        return override(groupId, GROUP_SESSION_TIMEOUT_MS, sessionTimeoutMs);
    }

    public int heartbeatIntervalMs(String groupId) {
        return override(groupId, GROUP_HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
    }

    public int numStandbyReplicas(String groupId) {
        return override(groupId, GROUP_NUM_STANDBY_REPLICAS, numStandbyReplicas);
    }

    private int override(String groupId, String key, int brokerValue) {
        String value = overrides.of(groupId).get(key);
        return value == null ? brokerValue : Integer.parseInt(value.trim());
    }
}

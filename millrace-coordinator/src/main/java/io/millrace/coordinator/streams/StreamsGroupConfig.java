package io.millrace.coordinator.streams;

import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupConfigOverrides;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker settings streams groups (KIP-1071) follow, with Kafka's names and defaults, and
 * the group-level overrides ({@code streams.session.timeout.ms}, ...) read per group.
 *
 * @param sessionTimeoutMs          {@code group.streams.session.timeout.ms}
 * @param heartbeatIntervalMs       {@code group.streams.heartbeat.interval.ms}
 * @param maxSize                   {@code group.streams.max.size}
 * @param numStandbyReplicas        {@code group.streams.num.standby.replicas}
 * @param taskOffsetIntervalMs      {@code group.streams.task.offset.interval.ms}: how often members
 *                                  report their task offsets, which the assignor's warm-ups use
 * @param acceptableRecoveryLag     {@code group.streams.acceptable.recovery.lag}: a member this close
 *                                  to a task's changelog end is caught up on it
 * @param numWarmupReplicas         {@code group.streams.num.warmup.replicas}: most warm-up tasks at once
 * @param initialRebalanceDelayMs   {@code group.streams.initial.rebalance.delay.ms}: the first
 *                                  assignment of a group that was empty waits this long
 * @param assignmentIntervalMs      {@code group.streams.assignment.interval.ms}: least time between two
 *                                  target assignments
 * @param rackAwareAssignmentTags   {@code group.streams.rack.aware.assignment.tags}: client tags
 *                                  standbys are spread over
 */
public record StreamsGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize, int numStandbyReplicas,
                                 int taskOffsetIntervalMs, long acceptableRecoveryLag, int numWarmupReplicas,
                                 int initialRebalanceDelayMs, int assignmentIntervalMs,
                                 List<String> rackAwareAssignmentTags, GroupConfigOverrides overrides) {
    public static final String SESSION_TIMEOUT_MS = "group.streams.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "group.streams.heartbeat.interval.ms";
    public static final String MAX_SIZE = "group.streams.max.size";
    public static final String NUM_STANDBY_REPLICAS = "group.streams.num.standby.replicas";
    public static final String TASK_OFFSET_INTERVAL_MS = "group.streams.task.offset.interval.ms";
    public static final String ACCEPTABLE_RECOVERY_LAG = "group.streams.acceptable.recovery.lag";
    public static final String NUM_WARMUP_REPLICAS = "group.streams.num.warmup.replicas";
    public static final String INITIAL_REBALANCE_DELAY_MS = "group.streams.initial.rebalance.delay.ms";
    public static final String ASSIGNMENT_INTERVAL_MS = "group.streams.assignment.interval.ms";
    public static final String RACK_AWARE_ASSIGNMENT_TAGS = "group.streams.rack.aware.assignment.tags";

    /** Group-level keys (IncrementalAlterConfigs on a GROUP resource). */
    public static final String GROUP_SESSION_TIMEOUT_MS = "streams.session.timeout.ms";
    public static final String GROUP_HEARTBEAT_INTERVAL_MS = "streams.heartbeat.interval.ms";
    public static final String GROUP_NUM_STANDBY_REPLICAS = "streams.num.standby.replicas";

    public StreamsGroupConfig {
        rackAwareAssignmentTags = List.copyOf(rackAwareAssignmentTags);
    }

    /**
     * Kafka's defaults: 45 s session, 5 s heartbeat, unbounded size, no standbys, 60 s task offsets,
     * lag 10000, 2 warm-ups, 3 s initial delay, 1 s between assignments, no rack tags.
     */
    public static StreamsGroupConfig defaults() {
        return new StreamsGroupConfig(45_000, 5_000, Integer.MAX_VALUE, 0, 60_000, 10_000L, 2, 3_000, 1_000, List.of(),
                GroupConfigOverrides.NONE);
    }

    public static StreamsGroupConfig from(BrokerConfig config) {
        List<String> tags = new ArrayList<>();
        Object raw = config.get(RACK_AWARE_ASSIGNMENT_TAGS);
        if (raw instanceof List<?> list) {
            list.forEach(t -> {
                if (t != null && !t.toString().isBlank()) {
                    tags.add(t.toString().trim());
                }
            });
        }
        return new StreamsGroupConfig(config.getInt(SESSION_TIMEOUT_MS), config.getInt(HEARTBEAT_INTERVAL_MS),
                config.getInt(MAX_SIZE), config.getInt(NUM_STANDBY_REPLICAS), config.getInt(TASK_OFFSET_INTERVAL_MS),
                ((Number) config.get(ACCEPTABLE_RECOVERY_LAG)).longValue(), config.getInt(NUM_WARMUP_REPLICAS),
                config.getInt(INITIAL_REBALANCE_DELAY_MS), config.getInt(ASSIGNMENT_INTERVAL_MS), tags,
                GroupConfigOverrides.NONE);
    }

    public StreamsGroupConfig withOverrides(GroupConfigOverrides overrides) {
        return new StreamsGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, maxSize, numStandbyReplicas,
                taskOffsetIntervalMs, acceptableRecoveryLag, numWarmupReplicas, initialRebalanceDelayMs,
                assignmentIntervalMs, rackAwareAssignmentTags, overrides);
    }

    /** The same settings with no initial delay and no assignment interval (tests that assign at once). */
    public StreamsGroupConfig withoutDelays() {
        return new StreamsGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, maxSize, numStandbyReplicas,
                taskOffsetIntervalMs, acceptableRecoveryLag, numWarmupReplicas, 0, 0, rackAwareAssignmentTags,
                overrides);
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

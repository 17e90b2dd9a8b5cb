package io.millrace.coordinator.share;

import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupConfigOverrides;

/**
 * The broker settings share groups (KIP-932) follow, with Kafka's names and defaults, and the
 * group-level overrides ({@code share.session.timeout.ms}, ...) read per group when used.
 *
 * @param sessionTimeoutMs       {@code group.share.session.timeout.ms}
 * @param heartbeatIntervalMs    {@code group.share.heartbeat.interval.ms}
 * @param maxSize                {@code group.share.max.size}
 * @param recordLockDurationMs   {@code group.share.record.lock.duration.ms}: how long a consumer holds
 *                               records it acquired before they are available again
 * @param deliveryCountLimit     {@code group.share.delivery.count.limit}: deliveries after which a record
 *                               that is not accepted is archived
 * @param partitionMaxRecordLocks {@code group.share.partition.max.record.locks}: most records of a
 *                               share-partition acquired at once
 * @param overrides              the group configs set with IncrementalAlterConfigs
 */
public record ShareGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize, int recordLockDurationMs,
                               int deliveryCountLimit, int partitionMaxRecordLocks, GroupConfigOverrides overrides) {
    public static final String SESSION_TIMEOUT_MS = "group.share.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "group.share.heartbeat.interval.ms";
    public static final String MAX_SIZE = "group.share.max.size";
    public static final String RECORD_LOCK_DURATION_MS = "group.share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "group.share.delivery.count.limit";
    public static final String PARTITION_MAX_RECORD_LOCKS = "group.share.partition.max.record.locks";

    /** Group-level keys (IncrementalAlterConfigs on a GROUP resource), Kafka's names. */
    public static final String GROUP_SESSION_TIMEOUT_MS = "share.session.timeout.ms";
    public static final String GROUP_HEARTBEAT_INTERVAL_MS = "share.heartbeat.interval.ms";
    public static final String GROUP_RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String GROUP_DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String GROUP_PARTITION_MAX_RECORD_LOCKS = "share.partition.max.record.locks";
    public static final String GROUP_AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String GROUP_ISOLATION_LEVEL = "share.isolation.level";
    /** KIP-1191's group keys: the group's dead-letter topic ("" for none) and whether records are copied there. */
    public static final String GROUP_DEAD_LETTER_TOPIC = "errors.deadletterqueue.topic.name";
    public static final String GROUP_DEAD_LETTER_COPY_RECORD = "errors.deadletterqueue.copy.record.enable";

    /** Kafka's defaults: 45 s session, 5 s heartbeat, 200 members, 30 s locks, 5 deliveries, 2000 locks. */
    public static ShareGroupConfig defaults() {
        return new ShareGroupConfig(45_000, 5_000, 200, 30_000, 5, 2_000, GroupConfigOverrides.NONE);
    }

    public static ShareGroupConfig from(BrokerConfig config) {
        return new ShareGroupConfig(config.getInt(SESSION_TIMEOUT_MS), config.getInt(HEARTBEAT_INTERVAL_MS),
                config.getInt(MAX_SIZE), config.getInt(RECORD_LOCK_DURATION_MS), config.getInt(DELIVERY_COUNT_LIMIT),
                config.getInt(PARTITION_MAX_RECORD_LOCKS), GroupConfigOverrides.NONE);
    }

    public ShareGroupConfig withOverrides(GroupConfigOverrides overrides) {
        return new ShareGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, maxSize, recordLockDurationMs,
                deliveryCountLimit, partitionMaxRecordLocks, overrides);
    }

    public int sessionTimeoutMs(String groupId) {
        return intOverride(groupId, GROUP_SESSION_TIMEOUT_MS, sessionTimeoutMs);
    }

    public int heartbeatIntervalMs(String groupId) {
        return intOverride(groupId, GROUP_HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
    }

    public int recordLockDurationMs(String groupId) {
        return intOverride(groupId, GROUP_RECORD_LOCK_DURATION_MS, recordLockDurationMs);
    }

    /** Deliveries after which the group's records are archived: {@code share.delivery.count.limit}, else the broker's. */
    public int deliveryCountLimit(String groupId) {
        return intOverride(groupId, GROUP_DELIVERY_COUNT_LIMIT, deliveryCountLimit);
    }

    /** Most records of one partition the group holds acquired: {@code share.partition.max.record.locks}, else the broker's. */
    public int partitionMaxRecordLocks(String groupId) {
        return intOverride(groupId, GROUP_PARTITION_MAX_RECORD_LOCKS, partitionMaxRecordLocks);
    }

    /** {@code share.auto.offset.reset} of the group: "latest" (Kafka's default), "earliest" or "by_duration:...". */
    public String autoOffsetReset(String groupId) {
        String value = overrides.of(groupId).get(GROUP_AUTO_OFFSET_RESET);
        return value == null ? "latest" : value.trim();
    }

    /** Whether the group reads only committed records ({@code share.isolation.level=read_committed}). */
    public boolean readCommitted(String groupId) {
        String value = overrides.of(groupId).get(GROUP_ISOLATION_LEVEL);
        return value != null && value.trim().equalsIgnoreCase("read_committed");
    }

    /** The group's dead-letter topic ({@code errors.deadletterqueue.topic.name}); empty when it has none. */
    public String deadLetterTopic(String groupId) {
        String value = overrides.of(groupId).get(GROUP_DEAD_LETTER_TOPIC);
        return value == null ? "" : value.trim();
    }

    /** Whether the group's dead-letter records carry the original key and value ({@code errors.deadletterqueue.copy.record.enable}). */
    public boolean deadLetterCopiesRecord(String groupId) {
        String value = overrides.of(groupId).get(GROUP_DEAD_LETTER_COPY_RECORD);
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    private int intOverride(String groupId, String key, int brokerValue) {
        String value = overrides.of(groupId).get(key);
        return value == null ? brokerValue : Integer.parseInt(value.trim());
    }
}

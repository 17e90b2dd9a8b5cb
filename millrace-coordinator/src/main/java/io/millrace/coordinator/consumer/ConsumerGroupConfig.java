package io.millrace.coordinator.consumer;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.coordinator.GroupConfigOverrides;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The broker settings consumer groups follow.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member not heard from
 *                            for this long is removed
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}, told to every member
 * @param maxSize             {@code group.consumer.max.size}
 * @param assignors           {@code group.consumer.assignors}, resolved; the first is the default
 */
public record ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize,
                                  List<ConsumerGroupAssignor> assignors, GroupConfigOverrides overrides) {
    public static final String SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String MAX_SIZE = "group.consumer.max.size";

    private static final List<ConsumerGroupAssignor> BUILT_IN = List.of(new UniformAssignor(), new RangeAssignor());

    public ConsumerGroupConfig {
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("At least one consumer group assignor is needed");
        }
        assignors = List.copyOf(assignors);
    }

    public ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize,
                               List<ConsumerGroupAssignor> assignors) {
        this(sessionTimeoutMs, heartbeatIntervalMs, maxSize, assignors, GroupConfigOverrides.NONE);
    }

    /** This config with per-group overrides read from {@code overrides}. */
    public ConsumerGroupConfig withOverrides(GroupConfigOverrides overrides) {
        return new ConsumerGroupConfig(sessionTimeoutMs, heartbeatIntervalMs, maxSize, assignors, overrides);
    }

    /** The session timeout of {@code groupId}: its group config, else the broker's. */
    public int sessionTimeoutMs(String groupId) {
        return override(groupId, GroupConfigOverrides.CONSUMER_SESSION_TIMEOUT_MS, sessionTimeoutMs);
    }

    /** The heartbeat interval told to members of {@code groupId}: its group config, else the broker's. */
    public int heartbeatIntervalMs(String groupId) {
        return override(groupId, GroupConfigOverrides.CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs);
    }

    private int override(String groupId, String key, int brokerValue) {
        String value = overrides.of(groupId).get(key);
        return value == null ? brokerValue : Integer.parseInt(value.trim());
    }

    /** Kafka's defaults: 45 s session, 5 s heartbeat, unbounded size, uniform then range. */
    public static ConsumerGroupConfig defaults() {
        return new ConsumerGroupConfig(45_000, 5_000, Integer.MAX_VALUE, BUILT_IN);
    }

    /**
     * From the broker's configuration. {@code group.consumer.assignors} may name the built-in
     * assignors ({@code uniform}, {@code range}) or Kafka's class names of them; anything else
     * is rejected, since we load no client code into the broker.
     */
    public static ConsumerGroupConfig from(BrokerConfig config) {
        List<ConsumerGroupAssignor> assignors = new ArrayList<>();
        for (String name : config.getList(BrokerConfigs.GROUP_CONSUMER_ASSIGNORS)) {
            ConsumerGroupAssignor assignor = builtIn(name.trim()).orElseThrow(() -> new ConfigException(
                    BrokerConfigs.GROUP_CONSUMER_ASSIGNORS, name, "only the built-in assignors uniform and range exist"));
            if (!assignors.contains(assignor)) {
                assignors.add(assignor);
            }
        }
        return new ConsumerGroupConfig(config.getInt(SESSION_TIMEOUT_MS), config.getInt(HEARTBEAT_INTERVAL_MS),
                config.getInt(MAX_SIZE), assignors);
    }

    /** The assignor named {@code name}, if configured. */
    public Optional<ConsumerGroupAssignor> assignor(String name) {
        return assignors.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public ConsumerGroupAssignor defaultAssignor() {
        return assignors.get(0);
    }

    private static Optional<ConsumerGroupAssignor> builtIn(String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1);
        return BUILT_IN.stream().filter(a -> a.name().equals(name)
                || simple.equalsIgnoreCase(a.name() + "Assignor")).findFirst();
    }
}

package io.millrace.server.config;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigSource;
import io.millrace.common.config.ConfigType;
import io.millrace.common.config.DescribedConfig;
import io.millrace.coordinator.GroupConfigOverrides;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configs a GROUP config resource has (as in Kafka 4.x): each overrides one broker-wide
 * {@code group.consumer.*} default for one group, within the broker's min/max bounds.
 * Stateless.
 */
final class GroupConfigs {

    /** One group key, the broker key it overrides, and the broker keys bounding it. */
    private record Key(String name, String brokerDefault, String brokerMin, String brokerMax, String doc) {
    }

    private static final List<Key> KEYS = List.of(
            new Key(GroupConfigOverrides.CONSUMER_SESSION_TIMEOUT_MS, "group.consumer.session.timeout.ms",
                    "group.consumer.min.session.timeout.ms", "group.consumer.max.session.timeout.ms",
                    "Session timeout of this consumer group's members."),
            new Key(GroupConfigOverrides.CONSUMER_HEARTBEAT_INTERVAL_MS, "group.consumer.heartbeat.interval.ms",
                    "group.consumer.min.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms",
                    "Heartbeat interval told to this consumer group's members."),
            new Key("streams.session.timeout.ms", "group.streams.session.timeout.ms",
                    "group.streams.min.session.timeout.ms", "group.streams.max.session.timeout.ms",
                    "Session timeout of this streams group's members."),
            new Key("streams.heartbeat.interval.ms", "group.streams.heartbeat.interval.ms",
                    "group.streams.min.heartbeat.interval.ms", "group.streams.max.heartbeat.interval.ms",
                    "Heartbeat interval told to this streams group's members."),
            new Key("streams.num.standby.replicas", "group.streams.num.standby.replicas", null,
                    "group.streams.max.standby.replicas", "Standby replicas of each task of this streams group."));

    private GroupConfigs() {
    }

    static boolean isKnown(String name) {
        return KEYS.stream().anyMatch(k -> k.name().equals(name));
    }

    /** Null when {@code value} is acceptable for group key {@code name}, else why not. */
    static String check(BrokerConfig broker, String name, String value) {
        Key key = KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
        if (key == null) {
            return "Unknown group config name: " + name;
        }
        if (value == null) {
            return null;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return "Invalid value " + value + " for configuration " + name + ": not a number of type INT";
        }
        int min = key.brokerMin() == null ? 0 : broker.getInt(key.brokerMin());
        int max = broker.getInt(key.brokerMax());
        if (parsed < min || parsed > max) {
            return "Invalid value " + value + " for configuration " + name + ": must be between "
                    + (key.brokerMin() == null ? "" : key.brokerMin() + " ") + "(" + min + ") and " + key.brokerMax()
                    + " (" + max + ")";
        }
        return null;
    }

    static List<DescribedConfig> describe(BrokerConfig broker, Map<String, String> overrides) {
        List<DescribedConfig> described = new ArrayList<>();
        for (Key key : KEYS) {
            String brokerValue = String.valueOf(broker.get(key.brokerDefault()));
            DescribedConfig.Synonym brokerSynonym = new DescribedConfig.Synonym(key.brokerDefault(), brokerValue,
                    broker.isSet(key.brokerDefault()) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG);
            String override = overrides.get(key.name());
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            if (override != null) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), override, ConfigSource.DYNAMIC_GROUP_CONFIG));
            }
            synonyms.add(brokerSynonym);
            described.add(new DescribedConfig(key.name(), override != null ? override : brokerValue,
                    override != null ? ConfigSource.DYNAMIC_GROUP_CONFIG : ConfigSource.DEFAULT_CONFIG, false, false,
                    ConfigType.INT, key.doc(), synonyms));
        }
        return described;
    }
}

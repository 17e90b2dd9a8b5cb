package io.millrace.server.config;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigSource;
import io.millrace.common.config.ConfigType;
import io.millrace.common.config.DescribedConfig;
import io.millrace.coordinator.GroupConfigOverrides;
import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.server.coordinator.ShareSurfaces;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The configs a GROUP config resource has (as in Kafka 4.x): each INT key overrides one broker-wide
 * {@code group.consumer.*}, {@code group.streams.*} or {@code group.share.*} default for one group,
 * within the broker's min/max bounds; share groups' STRING keys ({@code share.auto.offset.reset},
 * {@code share.isolation.level}, and KIP-1191's {@code errors.deadletterqueue.topic.name} and
 * {@code errors.deadletterqueue.copy.record.enable}) have no broker key behind them.
 * Stateless.
 */
final class GroupConfigs {

    /** One group key, the broker key it overrides, and the broker keys bounding it. */
    private record Key(String name, String brokerDefault, String brokerMin, String brokerMax, String doc) {
    }

    /**
     * A STRING group key with no broker key behind it (share groups'), its default and a check of
     * its values (null when acceptable, else why not).
     */
    private record StringKey(String name, String defaultValue, Function<String, String> check, String doc,
                             ConfigType type) {
        StringKey(String name, String defaultValue, Function<String, String> check, String doc) {
            this(name, defaultValue, check, doc, ConfigType.STRING);
        }
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
                    "group.streams.max.standby.replicas", "Standby replicas of each task of this streams group."),
            new Key("share.session.timeout.ms", "group.share.session.timeout.ms",
                    "group.share.min.session.timeout.ms", "group.share.max.session.timeout.ms",
                    "Session timeout of this share group's members."),
            new Key("share.heartbeat.interval.ms", "group.share.heartbeat.interval.ms",
                    "group.share.min.heartbeat.interval.ms", "group.share.max.heartbeat.interval.ms",
                    "Heartbeat interval told to this share group's members."),
            new Key("share.record.lock.duration.ms", "group.share.record.lock.duration.ms",
                    "group.share.min.record.lock.duration.ms", "group.share.max.record.lock.duration.ms",
                    "How long a member of this share group holds the records it acquired."),
            new Key("share.delivery.count.limit", "group.share.delivery.count.limit",
                    "group.share.min.delivery.count.limit", "group.share.max.delivery.count.limit",
                    "Deliveries of a record to this share group after which it is archived."),
            new Key("share.partition.max.record.locks", "group.share.partition.max.record.locks",
                    "group.share.min.partition.max.record.locks", "group.share.max.partition.max.record.locks",
                    "Most records of one partition this share group holds acquired at once."));

    private static final List<StringKey> STRING_KEYS = List.of(
            new StringKey("share.auto.offset.reset", "latest", GroupConfigs::checkAutoOffsetReset,
                    "Where a share group with no state starts on a partition: latest, earliest or by_duration:<ISO-8601>."),
            new StringKey("share.isolation.level", "read_uncommitted",
                    v -> v.equals("read_committed") || v.equals("read_uncommitted") ? null
                            : "Invalid value " + v + " for configuration share.isolation.level: String must be one of: "
                            + "read_committed, read_uncommitted",
                    "Whether this share group reads records of transactions not yet committed."),
            new StringKey(ShareGroupConfig.GROUP_DEAD_LETTER_TOPIC, "", GroupConfigs::checkDeadLetterTopic,
                    "The name of the topic to be used as the dead-letter queue (DLQ) topic for this share group. "
                    + "If blank (the default), the group does not have a DLQ topic."),
            new StringKey(ShareGroupConfig.GROUP_DEAD_LETTER_COPY_RECORD, "false",
                    v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null
                            : "Invalid value " + v + " for configuration "
                            + ShareGroupConfig.GROUP_DEAD_LETTER_COPY_RECORD + ": Expected value to be either true or false",
                    "When writing onto the dead-letter queue topic, whether to copy the original record onto the "
                    + "DLQ topic, or just write a record containing the context information headers.",
                    ConfigType.BOOLEAN));

    private static final String DEAD_LETTER_PREFIX = "errors.deadletterqueue.";

    private GroupConfigs() {
    }

    /**
     * Whether a key is offered: share groups' ({@code share.*}) only while share groups are served
     * (see {@link ShareSurfaces}); before that they are unknown group config names, as ever.
     */
    private static boolean offered(String name) {
        if (name.startsWith(DEAD_LETTER_PREFIX)) {
            return ShareSurfaces.deadLettersServed();
        }
        return !name.startsWith("share.") || ShareSurfaces.served();
    }

    /** As Kafka's group config validation: a dead-letter topic is never an internal ("__") topic. */
    private static String checkDeadLetterTopic(String value) {
        return value.startsWith("__") ? ShareGroupConfig.GROUP_DEAD_LETTER_TOPIC
                + ": DLQ topic name must not start with '__'" : null;
    }

    static boolean isKnown(String name) {
        return offered(name) && (KEYS.stream().anyMatch(k -> k.name().equals(name)) || stringKey(name) != null);
    }

    private static StringKey stringKey(String name) {
        return STRING_KEYS.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    private static String checkAutoOffsetReset(String value) {
        if (value.equals("latest") || value.equals("earliest")) {
            return null;
        }
        if (value.startsWith("by_duration:")) {
            try {
                if (!Duration.parse(value.substring("by_duration:".length())).isNegative()) {
                    return null;
                }
            } catch (DateTimeParseException e) {
                // below
            }
        }
        return "Invalid value " + value + " for configuration share.auto.offset.reset: must be latest, earliest "
                + "or by_duration:<a non-negative ISO-8601 duration>";
    }

    /** Null when {@code value} is acceptable for group key {@code name}, else why not. */
    static String check(BrokerConfig broker, String name, String value) {
        if (!offered(name)) {
            return "Unknown group config name: " + name;
        }
        StringKey stringKey = stringKey(name);
        if (stringKey != null) {
            return value == null ? null : stringKey.check().apply(value.trim());
        }
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
            if (!offered(key.name())) {
                continue;
            }
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
        for (StringKey key : STRING_KEYS) {
            if (!offered(key.name())) {
                continue;
            }
            String override = overrides.get(key.name());
            List<DescribedConfig.Synonym> synonyms = override == null ? List.of()
                    : List.of(new DescribedConfig.Synonym(key.name(), override, ConfigSource.DYNAMIC_GROUP_CONFIG));
            described.add(new DescribedConfig(key.name(), override != null ? override : key.defaultValue(),
                    override != null ? ConfigSource.DYNAMIC_GROUP_CONFIG : ConfigSource.DEFAULT_CONFIG, false, false,
                    key.type(), key.doc(), synonyms));
        }
        return described;
    }
}

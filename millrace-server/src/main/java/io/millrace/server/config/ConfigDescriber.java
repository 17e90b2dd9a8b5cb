package io.millrace.server.config;

import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.ConfigKey;
import io.millrace.common.config.ConfigType;
import io.millrace.common.config.ConfigValues;
import io.millrace.common.config.DescribedConfig;
import io.millrace.common.config.ListenerSslKeys;
import io.millrace.common.config.TopicConfigs;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers for the config APIs: what DescribeConfigs shows for a topic or this broker, what a
 * resource's dynamic overrides are now, and whether a new value is acceptable. Thread-safe.
 */
public final class ConfigDescriber {
    private final BrokerTopicConfigs configs;
    private final Supplier<MetadataImage> image;
    private final int nodeId;
    private final BrokerResourceCheck brokerCheck;

    public ConfigDescriber(BrokerTopicConfigs configs, Supplier<MetadataImage> image, int nodeId) {
        this(configs, image, nodeId, BrokerResourceCheck.NONE);
    }

    public ConfigDescriber(BrokerTopicConfigs configs, Supplier<MetadataImage> image, int nodeId,
                           BrokerResourceCheck brokerCheck) {
        this.configs = configs;
        this.image = image;
        this.nodeId = nodeId;
        this.brokerCheck = brokerCheck;
    }

    /** Null when a change to a broker resource is acceptable as a whole; see {@link BrokerResourceCheck}. */
    public String checkBrokerResource(ConfigResources.Kind kind, Map<String, String> changes, Map<String, String> next) {
        return brokerCheck.check(kind, changes, next);
    }

    public boolean topicExists(String name) {
        return image.get().topic(name).isPresent();
    }

    public List<DescribedConfig> describeTopic(String topic) {
        Map<String, String> overrides = image.get().topic(topic).map(TopicImage::configs).orElse(Map.of());
        return configs.effectiveBrokerConfig().describeTopic(overrides);
    }

    /** What CreateTopics v5+ reports for a topic created with {@code overrides}. */
    public List<DescribedConfig> describeNewTopic(Map<String, String> overrides) {
        return configs.effectiveBrokerConfig().describeTopic(overrides);
    }

    public List<DescribedConfig> describeBroker() {
        return configs.effectiveBrokerConfig().describe();
    }

    /** The cluster-wide dynamic broker defaults: only those that are set. */
    public List<DescribedConfig> describeBrokerDefaults() {
        return configs.effectiveBrokerConfig().describe().stream()
                .filter(c -> image.get().brokerConfig("").containsKey(c.name()))
                .map(c -> new DescribedConfig(c.name(), c.sensitive() ? null : image.get().brokerConfig("").get(c.name()),
                        io.millrace.common.config.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, false, c.sensitive(),
                        c.type(), c.documentation(), List.of()))
                .toList();
    }

    /** The dynamic overrides a resource has now. */
    public Map<String, String> overrides(ConfigResources.Kind kind, String resourceName) {
        MetadataImage current = image.get();
        return switch (kind) {
            case TOPIC -> current.topic(resourceName).map(TopicImage::configs).orElse(Map.of());
            case BROKER -> current.brokerConfig(Integer.toString(nodeId));
            case BROKER_DEFAULTS -> current.brokerConfig("");
            case BROKER_LOGGER -> Map.of();
            case GROUP -> current.groupConfig(resourceName);
        };
    }

    /** What DescribeConfigs shows for a GROUP resource: its overrides over the broker's group defaults. */
    public List<DescribedConfig> describeGroup(String groupId) {
        return GroupConfigs.describe(configs.effectiveBrokerConfig(), image.get().groupConfig(groupId));
    }

    /** Null when acceptable for a GROUP resource; a null value (removing the override) is fine for a known key. */
    public String checkGroupConfig(String name, String value) {
        return GroupConfigs.check(configs.effectiveBrokerConfig(), name, value);
    }

    public boolean isList(ConfigResources.Kind kind, String name) {
        if (kind == ConfigResources.Kind.GROUP) {
            return false;
        }
        ConfigKey key = kind == ConfigResources.Kind.TOPIC ? TopicConfigs.DEF.key(name) : BrokerConfigs.DEF.key(name);
        return key != null && key.type() == ConfigType.LIST;
    }

    /** The value in force now, formatted as a config string. */
    public String effectiveValue(ConfigResources.Kind kind, String resourceName, String name) {
        if (kind == ConfigResources.Kind.TOPIC) {
            return ConfigValues.format(configs.effective(overrides(kind, resourceName)).get(name));
        }
        if (kind == ConfigResources.Kind.GROUP) {
            return describeGroup(resourceName).stream().filter(c -> c.name().equals(name))
                    .map(DescribedConfig::value).findFirst().orElse(null);
        }
        return ConfigValues.format(configs.effectiveBrokerConfig().get(name));
    }

    /** Null when acceptable; a null value (removing the override) is always acceptable for a known key. */
    public String checkTopicConfig(String name, String value) {
        if (TopicConfigs.DEF.key(name) == null) {
            return "Unknown topic config name: " + name;
        }
        return value == null ? null : configs.check(name, value);
    }

    public String checkDynamicBrokerConfig(String name, String value) {
        var listenerKey = ListenerSslKeys.parse(name);
        if (listenerKey.isPresent()) {
            try {
                if (value != null) {
                    BrokerConfigs.DEF.key(listenerKey.get().baseKey()).parse(value);
                }
                return null; // the store as a whole: checkBrokerResource
            } catch (ConfigException e) {
                return e.getMessage();
            }
        }
        ConfigKey key = BrokerConfigs.DEF.key(name);
        if (key == null) {
            return "Unknown broker config name: " + name;
        }
        if (!key.dynamic()) {
            return "Cannot update these configs dynamically: [" + name + "]";
        }
        if (value == null) {
            return null;
        }
        try {
            key.parse(value);
            return configs.notActedOn.check("Broker", key, value);
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}

package io.millrace.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds DescribeConfigs entries for the broker and for topics from a {@link BrokerConfig}.
 * Synonyms are listed level by level (per-broker dynamic, cluster-default dynamic, static,
 * default), and within a level in the synonyms' order of precedence, as Kafka lists them.
 */
final class ConfigEntriesBuilder {

    private ConfigEntriesBuilder() {
    }

    static List<DescribedConfig> describeBroker(BrokerConfig config) {
        List<DescribedConfig> described = new ArrayList<>();
        for (ConfigKey key : BrokerConfigs.DEF.keys()) {
            List<DescribedConfig.Synonym> synonyms =
                    brokerSynonyms(config, BrokerConfigs.synonyms(key.name()), key.sensitive());
            // Keep the key's own entry and those below it: a set log.retention.ms says nothing
            // about where log.retention.hours came from.
            int own = 0;
            while (own < synonyms.size() && !synonyms.get(own).name().equals(key.name())) {
                own++;
            }
            synonyms = synonyms.subList(own, synonyms.size());
            ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
            String value = key.sensitive() ? null : ConfigValues.format(config.get(key.name()));
            described.add(new DescribedConfig(key.name(), value, source, !key.dynamic(), key.sensitive(),
                    key.type(), key.describedDocumentation(), synonyms));
        }
        // key stores and trust stores altered at runtime, per listener (Kafka lists them too)
        config.dynamicPerBroker().forEach((name, value) -> ListenerSslKeys.parse(name).ifPresent(listenerKey -> {
            ConfigKey base = BrokerConfigs.DEF.key(listenerKey.baseKey());
            String shown = base.sensitive() ? null : value.trim();
            described.add(new DescribedConfig(name, shown, ConfigSource.DYNAMIC_BROKER_CONFIG, false, base.sensitive(),
                    base.type(), base.describedDocumentation(),
                    List.of(new DescribedConfig.Synonym(name, shown, ConfigSource.DYNAMIC_BROKER_CONFIG))));
        }));
        return described;
    }

    static List<DescribedConfig> describeTopic(BrokerConfig config, Map<String, String> overrides) {
        Map<String, Object> values = TopicConfigs.resolve(config.topicDefaults(), overrides);
        List<DescribedConfig> described = new ArrayList<>();
        for (ConfigKey key : TopicConfigs.DEF.keys()) {
            String value = ConfigValues.format(values.get(key.name()));
            List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
            String override = overrides.get(key.name());
            if (override != null) {
                synonyms.add(new DescribedConfig.Synonym(key.name(), value, ConfigSource.DYNAMIC_TOPIC_CONFIG));
            }
            synonyms.addAll(brokerSynonyms(config, TopicConfigs.synonyms(key.name()), false));
            ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
            described.add(new DescribedConfig(key.name(), value, source, false, key.sensitive(), key.type(),
                    key.describedDocumentation(), synonyms));
        }
        return described;
    }

    private static List<DescribedConfig.Synonym> brokerSynonyms(BrokerConfig config, List<String> names,
                                                                boolean sensitive) {
        List<DescribedConfig.Synonym> synonyms = new ArrayList<>();
        addSet(synonyms, config.dynamicPerBroker(), names, ConfigSource.DYNAMIC_BROKER_CONFIG, sensitive);
        addSet(synonyms, config.dynamicClusterDefaults(), names, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, sensitive);
        addSet(synonyms, config.originals(), names, ConfigSource.STATIC_BROKER_CONFIG, sensitive);
        for (String name : names) {
            ConfigKey key = BrokerConfigs.DEF.key(name);
            if (key != null && key.hasDefault()) {
                String value = sensitive ? null : ConfigValues.format(key.defaultValue());
                synonyms.add(new DescribedConfig.Synonym(name, value, ConfigSource.DEFAULT_CONFIG));
            }
        }
        return synonyms;
    }

    private static void addSet(List<DescribedConfig.Synonym> synonyms, Map<String, String> level, List<String> names,
                               ConfigSource source, boolean sensitive) {
        for (String name : names) {
            String value = level.get(name);
            if (value != null) {
                synonyms.add(new DescribedConfig.Synonym(name, sensitive ? null : value.trim(), source));
            }
        }
    }
}

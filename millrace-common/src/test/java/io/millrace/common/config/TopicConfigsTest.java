package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

    @Test
    void synonymsFollowKafkasOrder() {
        assertEquals(List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
                TopicConfigs.synonyms("retention.ms"));
        assertEquals(List.of("log.roll.ms", "log.roll.hours"), TopicConfigs.synonyms("segment.ms"));
        assertEquals(List.of("log.roll.jitter.ms", "log.roll.jitter.hours"), TopicConfigs.synonyms("segment.jitter.ms"));
        assertEquals(List.of("message.max.bytes"), TopicConfigs.synonyms("max.message.bytes"));
        assertEquals(List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms"),
                TopicConfigs.synonyms("flush.ms"));
        assertEquals(List.of("log.cleanup.policy"), TopicConfigs.synonyms("cleanup.policy"));
        assertEquals(List.of("log.segment.bytes"), TopicConfigs.synonyms("segment.bytes"));
        assertEquals(List.of("log.index.size.max.bytes"), TopicConfigs.synonyms("segment.index.bytes"));
        assertEquals(List.of("log.segment.delete.delay.ms"), TopicConfigs.synonyms("file.delete.delay.ms"));
        assertEquals(List.of("log.cleaner.min.cleanable.ratio"), TopicConfigs.synonyms("min.cleanable.dirty.ratio"));
        assertEquals(List.of(), TopicConfigs.synonyms("remote.storage.enable"));
    }

    @Test
    void everyBrokerSynonymIsABrokerKey() {
        for (String topicKey : TopicConfigs.DEF.names()) {
            for (String brokerKey : TopicConfigs.synonyms(topicKey)) {
                assertTrue(BrokerConfigs.DEF.contains(brokerKey), topicKey + " <- " + brokerKey);
            }
        }
    }

    @Test
    void validateReturnsTypedValuesOrNamesTheProblem() {
        assertEquals(1000L, TopicConfigs.validate("retention.ms", "1000"));
        assertEquals(List.of("compact", "delete"), TopicConfigs.validate("cleanup.policy", "compact,delete"));
        assertEquals("LogAppendTime", TopicConfigs.validate("message.timestamp.type", "LogAppendTime"));
        assertEquals(true, TopicConfigs.validate("message.downconversion.enable", "true"));

        ConfigException unknown = assertThrows(ConfigException.class, () -> TopicConfigs.validate("retention.mss", "1"));
        assertTrue(unknown.getMessage().contains("retention.mss"), unknown.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> TopicConfigs.validate("retention.ms", "-2"));
        assertEquals("Invalid value '-2' for configuration retention.ms: value must be at least -1", bad.getMessage());
        assertThrows(ConfigException.class, () -> TopicConfigs.validate("segment.bytes", "100"));
        assertThrows(ConfigException.class, () -> TopicConfigs.validate("compression.type", "brotli"));
        assertThrows(ConfigException.class, () -> TopicConfigs.validate("min.cleanable.dirty.ratio", "1.5"));
        assertThrows(ConfigException.class, () -> TopicConfigs.validate("compression.gzip.level", "0"));
        assertEquals(-1, TopicConfigs.validate("compression.gzip.level", "-1"));
    }

    @Test
    void brokerDefaultsConvertUnits() {
        BrokerConfig broker = BrokerConfig.fromProperties(Map.of("log.retention.minutes", "3",
                "log.roll.hours", "1", "message.max.bytes", "2048", "log.cleanup.policy", "compact",
                "log.message.timestamp.type", "LogAppendTime", "log.segment.bytes", "2097152"));
        Map<String, Object> defaults = broker.topicDefaults();
        assertEquals(180_000L, defaults.get("retention.ms"));
        assertEquals(3_600_000L, defaults.get("segment.ms"));
        assertEquals(2048, defaults.get("max.message.bytes"));
        assertEquals(List.of("compact"), defaults.get("cleanup.policy"));
        assertEquals("LogAppendTime", defaults.get("message.timestamp.type"));
        assertEquals(2_097_152, defaults.get("segment.bytes"));
        assertEquals(3_600_000L, defaults.get("message.timestamp.after.max.ms"));
        assertEquals(TopicConfigs.DEF.names(), List.copyOf(defaults.keySet()));
    }

    @Test
    void overridesWinOverBrokerDefaults() {
        BrokerConfig broker = BrokerConfig.fromProperties(Map.of("log.retention.hours", "1"));
        Map<String, Object> topic = TopicConfigs.resolve(broker.topicDefaults(),
                Map.of("segment.bytes", "1048576", "cleanup.policy", "compact"));
        assertEquals(1_048_576, topic.get("segment.bytes"));
        assertEquals(List.of("compact"), topic.get("cleanup.policy"));
        assertEquals(3_600_000L, topic.get("retention.ms"));
        assertEquals(topic, broker.topicConfig(Map.of("segment.bytes", "1048576", "cleanup.policy", "compact")));
    }

    @Test
    void compactionLagsMustBeOrdered() {
        Map<String, Object> defaults = BrokerConfig.defaults().topicDefaults();
        ConfigException e = assertThrows(ConfigException.class, () -> TopicConfigs.validateAll(defaults,
                Map.of("min.compaction.lag.ms", "100", "max.compaction.lag.ms", "50")));
        assertTrue(e.getMessage().contains("min.compaction.lag.ms"), e.getMessage());
    }

    @Test
    void everyTopicDefaultPassesItsOwnValidation() {
        for (ConfigKey key : TopicConfigs.DEF.keys()) {
            assertEquals(key.defaultValue(), key.parse(ConfigValues.format(key.defaultValue())), key.name());
        }
        // With nothing configured, the broker-derived defaults equal the topic keys' own defaults.
        Map<String, Object> derived = BrokerConfig.defaults().topicDefaults();
        for (ConfigKey key : TopicConfigs.DEF.keys()) {
            assertEquals(key.defaultValue(), derived.get(key.name()), key.name());
        }
    }
}

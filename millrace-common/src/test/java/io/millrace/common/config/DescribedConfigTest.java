package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.DescribedConfig.Synonym;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DescribedConfigTest {

    private static Map<String, DescribedConfig> byName(List<DescribedConfig> described) {
        return described.stream().collect(Collectors.toMap(DescribedConfig::name, Function.identity()));
    }

    @Test
    void brokerDescribeCoversEveryKeyWithSources() {
        // A sensitive key stops start-up (no TLS yet), but its description must still hide it.
        BrokerConfig config = BrokerConfig.parsed(Map.of("num.partitions", "4",
                "ssl.keystore.password", "secret", "log.retention.hours", "24"));
        List<DescribedConfig> all = config.describe();
        assertEquals(BrokerConfigs.DEF.names(), all.stream().map(DescribedConfig::name).toList());
        Map<String, DescribedConfig> described = byName(all);

        DescribedConfig partitions = described.get("num.partitions");
        assertEquals("4", partitions.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, partitions.source());
        assertTrue(partitions.readOnly());
        assertEquals(ConfigType.INT, partitions.type());
        assertEquals(List.of(new Synonym("num.partitions", "4", ConfigSource.STATIC_BROKER_CONFIG),
                new Synonym("num.partitions", "1", ConfigSource.DEFAULT_CONFIG)), partitions.synonyms());

        DescribedConfig password = described.get("ssl.keystore.password");
        assertNull(password.value());
        assertTrue(password.sensitive());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, password.source());
        assertNull(password.synonyms().get(0).value());

        DescribedConfig hours = described.get("log.retention.hours");
        assertEquals("24", hours.value());
        assertEquals(List.of(new Synonym("log.retention.hours", "24", ConfigSource.STATIC_BROKER_CONFIG),
                new Synonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG)), hours.synonyms());

        DescribedConfig millis = described.get("log.retention.ms");
        assertNull(millis.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, millis.source());
        assertFalse(millis.readOnly());

        assertEquals("1", described.get("node.id").value());
        assertEquals("./data", described.get("log.dir").value());
    }

    @Test
    void brokerDescribeShowsDynamicLevels() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("message.max.bytes", "2000"))
                .withDynamic(Map.of("message.max.bytes", "3000"), Map.of("message.max.bytes", "4000"));
        DescribedConfig max = byName(config.describe()).get("message.max.bytes");
        assertEquals("4000", max.value());
        assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, max.source());
        assertEquals(List.of(
                new Synonym("message.max.bytes", "4000", ConfigSource.DYNAMIC_BROKER_CONFIG),
                new Synonym("message.max.bytes", "3000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new Synonym("message.max.bytes", "2000", ConfigSource.STATIC_BROKER_CONFIG),
                new Synonym("message.max.bytes", "1048588", ConfigSource.DEFAULT_CONFIG)), max.synonyms());
    }

    @Test
    void topicDescribeWalksTheSynonymChain() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of("log.retention.hours", "24"))
                .withDynamic(Map.of("log.segment.bytes", "2097152"), Map.of());
        Map<String, DescribedConfig> described = byName(config.describeTopic(Map.of("cleanup.policy", "compact")));
        assertEquals(TopicConfigs.DEF.names().size(), described.size());

        DescribedConfig retention = described.get("retention.ms");
        assertEquals("86400000", retention.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, retention.source());
        assertFalse(retention.readOnly());
        assertEquals(List.of(new Synonym("log.retention.hours", "24", ConfigSource.STATIC_BROKER_CONFIG),
                new Synonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG)), retention.synonyms());

        DescribedConfig policy = described.get("cleanup.policy");
        assertEquals("compact", policy.value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, policy.source());
        assertEquals(List.of(new Synonym("cleanup.policy", "compact", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                new Synonym("log.cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG)), policy.synonyms());

        DescribedConfig segment = described.get("segment.bytes");
        assertEquals("2097152", segment.value());
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, segment.source());

        DescribedConfig flush = described.get("flush.ms");
        assertEquals(ConfigSource.DEFAULT_CONFIG, flush.source());
        assertEquals(List.of(new Synonym("log.flush.scheduler.interval.ms", String.valueOf(Long.MAX_VALUE),
                ConfigSource.DEFAULT_CONFIG)), flush.synonyms());

        DescribedConfig remote = described.get("remote.storage.enable");
        assertEquals("false", remote.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, remote.source());
        assertEquals(List.of(), remote.synonyms());
    }
}

package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static BrokerConfig parse(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.fromProperties(props);
    }

    private static void assertRejected(String key, String value, String... more) {
        String[] keyValues = new String[more.length + 2];
        keyValues[0] = key;
        keyValues[1] = value;
        System.arraycopy(more, 0, keyValues, 2, more.length);
        ConfigException e = assertThrows(ConfigException.class, () -> parse(keyValues));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void theVerificationRetryKeysAreKafkasAndActedOn() {
        BrokerConfig defaults = BrokerConfig.fromProperties(Map.of());
        assertEquals(20, defaults.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS));
        assertEquals(100, defaults.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS));
        assertEquals(Support.ACTED_ON, BrokerConfigs.DEF.key(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS).support());
        assertEquals(Support.ACTED_ON,
                BrokerConfigs.DEF.key(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS).support());
        BrokerConfig set = parse(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS, "5",
                BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, "0");
        assertEquals(5, set.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS));
        assertEquals(0, set.getInt(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS));
        assertRejected(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS, "0");
        assertRejected(BrokerConfigs.ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, "-1");
    }

    @Test
    void noConfigurationIsASingleLocalNode() {
        BrokerConfig config = BrokerConfig.fromProperties(Map.of());
        assertEquals(1, config.nodeId());
        assertEquals(1, config.get("broker.id"));
        assertEquals(List.of("broker", "controller"), config.processRoles());
        assertEquals(List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)), config.listeners());
        assertEquals(config.listeners(), config.advertisedListeners());
        assertEquals("PLAINTEXT", config.securityProtocol("PLAINTEXT"));
        assertEquals(List.of(Path.of("data").toAbsolutePath()), config.logDirs());
        assertEquals(config.logDirs().get(0), config.metadataLogDir());
        assertEquals(1, config.numPartitions());
        assertEquals((short) 1, config.defaultReplicationFactor());
        assertTrue(config.autoCreateTopicsEnable());
        assertTrue(config.deleteTopicEnable());
        assertEquals(300_000L, config.logRetentionCheckIntervalMs());
        assertEquals(1_048_588, config.messageMaxBytes());
        assertEquals(104_857_600, config.socketRequestMaxBytes());
        assertEquals(50, config.offsetsTopicNumPartitions());
        assertEquals((short) 3, config.offsetsTopicReplicationFactor());
        assertEquals(604_800_000L, config.logRetentionMs());
        assertEquals(604_800_000L, config.logRollMs());
        assertEquals(Long.MAX_VALUE, config.logFlushIntervalMs());
        assertEquals(86_400_000, config.getInt("producer.id.expiration.ms"));
        assertTrue(config.clusterId().isEmpty());
        assertFalse(config.isSet("node.id"));
        assertEquals(ConfigSource.DEFAULT_CONFIG, config.source("node.id"));
    }

    @Test
    void invalidValuesNameKeyAndValue() {
        assertRejected("num.partitions", "abc");
        assertRejected("num.partitions", "0");
        assertRejected("listeners", "PLAINTEXT:/localhost:9092");
        assertRejected("listeners", "PLAINTEXT://a:9092,PLAINTEXT://b:9093");
        assertRejected("listeners", "A://a:9092,B://b:9092", "listener.security.protocol.map", "A:PLAINTEXT,B:PLAINTEXT");
        assertRejected("listener.security.protocol.map", "PLAINTEXT:BOGUS");
        assertRejected("listener.security.protocol.map", "SSL:SSL", "listeners", "PLAINTEXT://:9092");
        assertRejected("advertised.listeners", "PLAINTEXT://0.0.0.0:9092");
        assertRejected("advertised.listeners", "OTHER://host:9092");
        assertRejected("inter.broker.listener.name", "INTERNAL");
        assertRejected("log.segment.bytes", "1024");
        assertRejected("log.cleanup.policy", "delete,shred");
        assertRejected("auto.create.topics.enable", "maybe");
        assertRejected("process.roles", "broker,router");
        assertRejected("broker.id", "2", "node.id", "3");
        assertRejected("group.min.session.timeout.ms", "90000", "group.max.session.timeout.ms", "60000");

        ConfigException e = assertThrows(ConfigException.class, () -> parse("num.partitions", "abc"));
        assertEquals("Invalid value 'abc' for configuration num.partitions: not a number of type INT", e.getMessage());
    }

    @Test
    void retentionPrefersMillisThenMinutesThenHours() {
        assertEquals(3_600_000L * 24, parse("log.retention.hours", "24").logRetentionMs());
        assertEquals(600_000L, parse("log.retention.hours", "24", "log.retention.minutes", "10").logRetentionMs());
        assertEquals(1234L, parse("log.retention.hours", "24", "log.retention.minutes", "10",
                "log.retention.ms", "1234").logRetentionMs());
        assertEquals(-1L, parse("log.retention.ms", "-1").logRetentionMs());
        assertEquals(-1L, parse("log.retention.hours", "-1").logRetentionMs());
        assertEquals(-1L, parse("log.retention.minutes", "-5").logRetentionMs());
    }

    @Test
    void rollAndFlushFallBack() {
        assertEquals(2 * 3_600_000L, parse("log.roll.hours", "2").logRollMs());
        assertEquals(500L, parse("log.roll.hours", "2", "log.roll.ms", "500").logRollMs());
        assertEquals(1000L, parse("log.flush.scheduler.interval.ms", "1000").logFlushIntervalMs());
        assertEquals(10L, parse("log.flush.scheduler.interval.ms", "1000", "log.flush.interval.ms", "10")
                .logFlushIntervalMs());
        assertEquals(3_600_000L, parse("log.roll.jitter.hours", "1").topicDefaults().get("segment.jitter.ms"));
    }

    @Test
    void logDirsWinsOverLogDir() {
        assertEquals(List.of(Path.of("/tmp/a"), Path.of("/tmp/b")),
                parse("log.dir", "/tmp/x", "log.dirs", "/tmp/a, /tmp/b").logDirs());
        assertEquals(List.of(Path.of("/tmp/x")), parse("log.dir", "/tmp/x").logDirs());
        assertEquals(Path.of("/tmp/meta"), parse("metadata.log.dir", "/tmp/meta").metadataLogDir());
        assertRejected("log.dirs", "/tmp/a,/tmp/a");
    }

    @Test
    void brokerIdIsAnAliasOfNodeId() {
        BrokerConfig config = parse("broker.id", "7");
        assertEquals(7, config.nodeId());
        assertEquals(7, parse("broker.id", "7", "node.id", "7").nodeId());
        assertEquals(4, parse("node.id", "4").get("broker.id"));
    }

    @Test
    void kafkaKraftSamplePropertiesParseWithoutUnknownKeys() {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "localhost:9093");
        props.put("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("advertised.listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
        props.put("num.network.threads", "3");
        props.put("num.io.threads", "8");
        props.put("socket.send.buffer.bytes", "102400");
        props.put("socket.receive.buffer.bytes", "102400");
        props.put("socket.request.max.bytes", "104857600");
        props.put("log.dirs", "/tmp/kraft-combined-logs");
        props.put("num.partitions", "1");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("log.retention.hours", "168");
        props.put("log.segment.bytes", "1073741824");
        props.put("log.retention.check.interval.ms", "300000");
        assertEquals(List.of(), BrokerConfig.unknownKeys(props));

        BrokerConfig config = BrokerConfig.fromProperties(props);
        assertEquals(List.of(new Endpoint("PLAINTEXT", "0.0.0.0", 9092), new Endpoint("CONTROLLER", "0.0.0.0", 9093)),
                config.listeners());
        assertEquals(List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), config.advertisedListeners());
        assertEquals(List.of("CONTROLLER"), config.controllerListenerNames());
        assertEquals("PLAINTEXT", config.interBrokerListenerName());
        assertEquals((short) 1, config.offsetsTopicReplicationFactor());
    }

    @Test
    void wildcardListenersAdvertiseTheHostName() {
        BrokerConfig config = parse("listeners", "PLAINTEXT://0.0.0.0:9092,CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER");
        assertEquals(1, config.advertisedListeners().size());
        Endpoint advertised = config.advertisedListeners().get(0);
        assertEquals("PLAINTEXT", advertised.listenerName());
        assertFalse(advertised.isWildcard());
        assertEquals("PLAINTEXT", config.securityProtocol("CONTROLLER"));
    }

    @Test
    void unknownKeysAreReportedButListenerOverridesAreNot() {
        Map<String, String> props = Map.of("zookeeper.connect", "x:2181", "bogus", "1",
                "listener.name.internal.connections.max.idle.ms", "1000", "num.partitions", "3");
        assertEquals(List.of("bogus", "zookeeper.connect"), BrokerConfig.unknownKeys(props));
        BrokerConfig config = BrokerConfig.fromProperties(props);
        assertEquals(3, config.numPartitions());
        assertEquals("1", config.originals().get("bogus"));
        assertThrows(IllegalArgumentException.class, () -> config.get("bogus"));
    }

    @Test
    void dynamicValuesOverrideStaticOnes() {
        BrokerConfig base = parse("log.retention.ms", "1000", "message.max.bytes", "2000");
        BrokerConfig dynamic = base.withDynamic(Map.of("log.retention.ms", "5000", "message.max.bytes", "3000"),
                Map.of("message.max.bytes", "4000"));
        assertEquals(5000L, dynamic.logRetentionMs());
        assertEquals(4000, dynamic.messageMaxBytes());
        assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, dynamic.source("message.max.bytes"));
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, dynamic.source("log.retention.ms"));
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, base.source("log.retention.ms"));
        assertEquals(4000, dynamic.topicDefaults().get("max.message.bytes"));
        assertEquals(2000, base.messageMaxBytes());

        BrokerConfig cleared = dynamic.withDynamic(Map.of(), Map.of());
        assertEquals(2000, cleared.messageMaxBytes());
    }

    @Test
    void onlyDynamicKeysMayChangeAtRuntime() {
        assertTrue(BrokerConfigs.isDynamic("log.retention.ms"));
        assertFalse(BrokerConfigs.isDynamic("log.retention.hours"));
        assertFalse(BrokerConfigs.isDynamic("listeners"));
        assertFalse(BrokerConfigs.isDynamic("no.such.key"));
        assertEquals(5, BrokerConfigs.validateDynamic("num.io.threads", "5"));
        ConfigException readOnly = assertThrows(ConfigException.class,
                () -> BrokerConfigs.validateDynamic("listeners", "PLAINTEXT://:1"));
        assertEquals("Invalid value 'PLAINTEXT://:1' for configuration listeners: "
                + "it is read-only and cannot be changed while the broker runs", readOnly.getMessage());
        assertThrows(ConfigException.class, () -> BrokerConfigs.validateDynamic("num.io.threads", "0"));
        assertThrows(ConfigException.class, () -> BrokerConfigs.validateDynamic("nope", "1"));

        // Entries that do not apply are skipped, not fatal: the broker keeps running.
        BrokerConfig config = BrokerConfig.defaults().withDynamic(
                Map.of("listeners", "PLAINTEXT://:1", "nope", "1", "num.io.threads", "4"),
                Map.of("num.io.threads", "0"));
        assertEquals(config.listeners(), BrokerConfig.defaults().listeners());
        assertEquals(4, config.getInt("num.io.threads"));
        assertEquals(Map.of("num.io.threads", "4"), config.dynamicClusterDefaults());
        assertEquals(Map.of(), config.dynamicPerBroker());
    }

    @Test
    void aListenerKeyStoreMayChangeAtRuntimePerBrokerOnly() {
        assertEquals(new ListenerSslKeys.ListenerKey("SSL", "ssl.keystore.location"),
                ListenerSslKeys.parse("listener.name.ssl.ssl.keystore.location").orElseThrow());
        assertTrue(ListenerSslKeys.parse("listener.name.ssl.ssl.client.auth").isEmpty());
        assertTrue(ListenerSslKeys.parse("ssl.keystore.location").isEmpty());
        assertEquals("/new.p12", BrokerConfigs.validateDynamic("listener.name.ssl.ssl.keystore.location", "/new.p12"));

        BrokerConfig base = BrokerConfig.fromProperties(Map.of("listener.name.ssl.ssl.keystore.location", "/old.p12",
                "listener.name.ssl.ssl.truststore.location", "/trust.p12"));
        BrokerConfig dynamic = base.withDynamic(Map.of("listener.name.ssl.ssl.truststore.location", "/ignored.p12"),
                Map.of("listener.name.ssl.ssl.keystore.location", "/new.p12"));
        assertEquals("/new.p12", dynamic.listenerOverride("listener.name.ssl.ssl.keystore.location"));
        assertEquals("/trust.p12", dynamic.listenerOverride("listener.name.ssl.ssl.truststore.location"),
                "a cluster-wide default of a key store is ignored, as in Kafka");
        assertEquals("/old.p12", base.listenerOverride("listener.name.ssl.ssl.keystore.location"));
        assertEquals(null, base.listenerOverride("listener.name.ssl.ssl.keystore.password"));
    }

    @Test
    void everyDefaultPassesItsOwnValidation() {
        for (ConfigKey key : BrokerConfigs.DEF.keys()) {
            key.validator().ensureValid(key.name(), key.defaultValue());
            if (key.hasDefault()) {
                assertEquals(key.defaultValue(), key.parse(ConfigValues.format(key.defaultValue())), key.name());
            }
        }
        assertNotEquals(0, BrokerConfigs.DEF.keys().size());
    }
}

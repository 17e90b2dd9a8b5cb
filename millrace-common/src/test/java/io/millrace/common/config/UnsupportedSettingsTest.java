package io.millrace.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** No setting is silently ignored: what is not acted on is listed here, refused or warned about. */
class UnsupportedSettingsTest {

    /** Changing one of these lists is a deliberate decision: the key's code is written, or dropped. */
    private static final List<String> IGNORED_BROKER_KEYS = List.of(
            "background.threads", "compression.gzip.level", "compression.lz4.level", "compression.type",
            "compression.zstd.level", "connections.max.idle.ms", "controller.quorum.append.linger.ms",
            "controller.quorum.election.backoff.max.ms", "controller.quorum.election.timeout.ms",
            "controller.quorum.fetch.timeout.ms", "controller.quorum.request.timeout.ms",
            "controller.quorum.retry.backoff.ms", "delete.records.purgatory.purge.interval.requests",
            "fetch.max.bytes", "fetch.purgatory.purge.interval.requests", "group.consumer.migration.policy",
            "group.share.assignors",
            "group.streams.assignor.offload.enable", "group.streams.max.assignment.interval.ms",
            "group.streams.max.warmup.replicas", "group.streams.min.assignment.interval.ms",
            "initial.broker.registration.timeout.ms", "kafka.metrics.polling.interval.secs",
            "kafka.metrics.reporters", "leader.imbalance.per.broker.percentage", "log.dir.failure.timeout.ms",
            "log.flush.offset.checkpoint.interval.ms", "log.flush.start.offset.checkpoint.interval.ms",
            "log.initial.task.delay.ms", "log.local.retention.bytes", "log.local.retention.ms",
            "log.message.downconversion.enable", "log.roll.jitter.hours", "log.roll.jitter.ms",
            "metadata.log.max.record.bytes.between.snapshots",
            "metadata.log.max.snapshot.interval.ms", "metadata.log.segment.bytes", "metadata.log.segment.ms",
            "metadata.max.idle.interval.ms", "metadata.max.retention.bytes", "metadata.max.retention.ms",
            "metric.reporters", "metrics.num.samples", "metrics.recording.level", "metrics.sample.window.ms",
            "num.io.threads", "num.network.threads", "num.recovery.threads.per.data.dir", "num.replica.fetchers",
            "offsets.commit.timeout.ms", "offsets.topic.compression.codec",
            "producer.purgatory.purge.interval.requests", "queued.max.request.bytes", "queued.max.requests",
            "replica.high.watermark.checkpoint.interval.ms", "replica.selector.class",
            "replica.socket.receive.buffer.bytes", "socket.connection.setup.timeout.max.ms",
            "socket.connection.setup.timeout.ms", "socket.listen.backlog.size");

    private static final List<String> UNSUPPORTED_BROKER_KEYS = List.of(
            "alter.config.policy.class.name",
            "client.quota.callback.class", "controller.quorum.bootstrap.servers",
            "create.topic.policy.class.name", "max.connection.creation.rate", "max.connections",
            "max.connections.per.ip", "max.connections.per.ip.overrides", "principal.builder.class",
            "remote.log.storage.system.enable",
            "sasl.mechanism.controller.protocol");

    private static final List<String> IGNORED_TOPIC_KEYS = List.of(
            "compression.gzip.level", "compression.lz4.level", "compression.type", "compression.zstd.level",
            "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
            "local.retention.bytes", "local.retention.ms", "message.downconversion.enable",
            "remote.log.copy.disable", "remote.log.delete.on.disable", "segment.jitter.ms");

    private static final List<String> UNSUPPORTED_TOPIC_KEYS = List.of("remote.storage.enable");

    private final List<String> warnings = new ArrayList<>();

    private static List<String> keys(ConfigDef def, Support support) {
        return List.copyOf(new TreeSet<>(def.keys().stream().filter(k -> k.support() == support)
                .map(ConfigKey::name).toList()));
    }

    private BrokerConfig start(String... keyValues) {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.fromProperties(props, warnings::add);
    }

    private String refusal(String... keyValues) {
        ConfigException e = assertThrows(ConfigException.class, () -> start(keyValues));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void everyKeyNotActedOnIsListed() {
        assertEquals(IGNORED_BROKER_KEYS, keys(BrokerConfigs.DEF, Support.IGNORED));
        assertEquals(UNSUPPORTED_BROKER_KEYS, keys(BrokerConfigs.DEF, Support.UNSUPPORTED));
        assertEquals(IGNORED_TOPIC_KEYS, keys(TopicConfigs.DEF, Support.IGNORED));
        assertEquals(UNSUPPORTED_TOPIC_KEYS, keys(TopicConfigs.DEF, Support.UNSUPPORTED));
    }

    @Test
    void everySecurityKeyButTlsAndSaslPlainIsUnsupported() {
        for (ConfigKey key : BrokerConfigs.DEF.keys()) {
            if (key.name().startsWith("ssl.") || key.name().equals("sasl.enabled.mechanisms")
                    || key.name().equals("sasl.jaas.config") || key.name().equals("sasl.mechanism.inter.broker.protocol")) {
                assertEquals(Support.ACTED_ON, key.support(), key.name());
            } else if (key.name().startsWith("quota.")) {
                assertEquals(Support.ACTED_ON, key.support(), key.name()); // quota.window.num, quota.window.size.seconds
            } else if (key.name().startsWith("sasl.") || key.type() == ConfigType.PASSWORD) {
                assertEquals(Support.UNSUPPORTED, key.support(), key.name());
            }
        }
    }

    @Test
    void aSaslListenerOrAnSslControllerListenerStopsStartUp() {
        start("listeners", "PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093");
        start("listeners", "PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093", "inter.broker.listener.name", "SSL");
        start("listeners", "SSL://127.0.0.1:9093", "security.inter.broker.protocol", "SSL");
        start("listeners", "PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT");
        assertEquals("inter-broker listener INTERNAL://127.0.0.1:9094 uses security protocol SASL_PLAINTEXT with "
                + "sasl.mechanism.inter.broker.protocol=GSSAPI (brokers authenticate to each other with PLAIN, "
                + "SCRAM-SHA-256, SCRAM-SHA-512 only), which Millrace does not support yet",
                refusal("listeners", "PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL"));
        start("listeners", "PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL", "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512",
                "connections.max.reauth.ms", "60000", "listener.name.internal.connections.max.reauth.ms", "1000",
                "listener.name.internal.scram-sha-512.connections.max.reauth.ms", "2000");
        assertEquals(List.of(), warnings);
        assertTrue(refusal("listeners", "CONTROLLER://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092",
                "controller.listener.names", "CONTROLLER", "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT").startsWith("controller listener "
                + "CONTROLLER://127.0.0.1:9093 uses security protocol SASL_PLAINTEXT"));
        // the metadata quorum runs TLS when the controller listener is SSL
        start("listeners", "CONTROLLER://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092",
                "controller.listener.names", "CONTROLLER", "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL");
    }

    @Test
    void securityKeysStopStartUp() {
        assertTrue(refusal("authorizer.class.name", "com.example.CustomAuthorizer").startsWith(
                "Invalid value 'com.example.CustomAuthorizer' for configuration authorizer.class.name"));
        assertTrue(refusal("security.inter.broker.protocol", "SASL_SSL").startsWith("Invalid value 'SASL_SSL' for "
                + "configuration security.inter.broker.protocol"));
        // Secrets are never shown, neither defined keys nor per-listener overrides.
        assertEquals("sasl.mechanism.controller.protocol is set to 'PLAIN', which Millrace does not support yet",
                refusal("sasl.mechanism.controller.protocol", "PLAIN"));
        assertEquals("listener.name.internal.ssl.engine.factory.class is set to 'a.B', which Millrace does not "
                + "support yet", refusal("listener.name.internal.ssl.engine.factory.class", "a.B"));
        // ssl.* and sasl.* keys we do not even define are refused, not just reported as unknown.
        assertEquals("ssl.provider is set to 'SunJSSE', which Millrace does not support yet",
                refusal("ssl.provider", "SunJSSE"));
        assertTrue(refusal("sasl.server.callback.handler.class", "x.Y").startsWith("sasl.server.callback"));
    }

    @Test
    void quotaPolicyAndTieredStorageKeysStopStartUp() {
        start("quota.window.num", "20", "quota.window.size.seconds", "2", "controller.quota.window.num", "5",
                "controller.quota.window.size.seconds", "2"); // acted on: client quotas measure over them
        assertTrue(refusal("client.quota.callback.class", "a.B").startsWith("client.quota.callback.class is set to 'a.B'"
                + " (Millrace has no quota callback plugins;"), refusal("client.quota.callback.class", "a.B"));
        assertTrue(refusal("quota.producer.default", "1000").startsWith("quota.producer.default"));
        assertTrue(refusal("max.connections", "100").startsWith("max.connections is set to '100'"));
        assertTrue(refusal("max.connections.per.ip", "10").startsWith("max.connections.per.ip "));
        assertTrue(refusal("create.topic.policy.class.name", "a.Policy").startsWith("create.topic.policy"));
        assertTrue(refusal("remote.log.storage.system.enable", "true").startsWith("remote.log.storage"));
    }

    @Test
    void allRefusedSettingsAreNamedInOneLine() {
        assertEquals("Millrace does not support these settings yet: controller listener CONTROLLER://127.0.0.1:9093 "
                        + "uses security protocol SASL_SSL (the metadata quorum runs over plaintext or TLS only); "
                        + "sasl.server.callback.handler.class is set to 'X'; ssl.provider is set to 'X'",
                refusal("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
                        "controller.listener.names", "CONTROLLER",
                        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_SSL",
                        "sasl.server.callback.handler.class", "X", "ssl.provider", "X"));
    }

    @Test
    void tlsKeysAndTheirListenerOverridesAreActedOn() {
        start("listeners", "PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093", "ssl.keystore.location", "/k.jks",
                "ssl.keystore.password", "pw", "listener.name.ssl.ssl.client.auth", "required",
                "ssl.principal.mapping.rules", "DEFAULT", "listener.name.sasl.plain.sasl.jaas.config", "x",
                "listener.name.sasl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
                "listener.name.sasl.scram-sha-256.sasl.jaas.config", "x");
        assertEquals(List.of(), warnings);
    }

    @Test
    void unsupportedKeysAtTheirDefaultsAreAccepted() {
        start("ssl.client.auth", "none", "allow.everyone.if.no.acl.found", "false", "authorizer.class.name", "",
                "security.inter.broker.protocol", "PLAINTEXT", "sasl.enabled.mechanisms", "GSSAPI",
                "max.connections", Integer.toString(Integer.MAX_VALUE), "quota.window.num", "11");
        assertEquals(List.of(), warnings);
    }

    @Test
    void bootstrapServersAreRefusedUnlessTheyNameOnlyThisNodesController() {
        // Kafka's single-node sample: a quorum of one, which is what Millrace runs.
        start("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names", "CONTROLLER",
                "controller.quorum.bootstrap.servers", "localhost:9093");
        assertEquals(List.of(), warnings);
        // Other controllers: this node would run alone instead of joining them.
        assertTrue(refusal("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093", "controller.listener.names",
                "CONTROLLER", "controller.quorum.bootstrap.servers", "host1:9093,host2:9093,host3:9093")
                .startsWith("controller.quorum.bootstrap.servers is set to 'host1:9093,host2:9093,host3:9093'"));
        // With the voters given, they define the quorum and the bootstrap servers are ignored.
        start("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", "controller.listener.names",
                "CONTROLLER", "controller.quorum.voters", "1@127.0.0.1:9093",
                "controller.quorum.bootstrap.servers", "127.0.0.1:9093,127.0.0.1:9094");
        assertEquals(List.of("Ignoring configuration keys Millrace accepts but does not act on yet: "
                + "controller.quorum.bootstrap.servers"), warnings);
    }

    @Test
    void ignoredKeysSetAreNamedInOneWarning() {
        start("num.io.threads", "16", "log.roll.jitter.ms", "5000", "num.network.threads", "3",
                "listener.name.plaintext.connections.max.idle.ms", "1000", "num.partitions", "3", "bogus", "x");
        assertEquals(List.of("Ignoring unknown configuration keys: bogus",
                "Ignoring configuration keys Millrace accepts but does not act on yet: "
                        + "listener.name.plaintext.connections.max.idle.ms, log.roll.jitter.ms, num.io.threads"),
                warnings);
    }

    @Test
    void theReadmeClusterRecipeStartsWithoutWarnings() {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", "1");
        props.put("process.roles", "broker,controller");
        props.put("cluster.id", "SUCsjmpvRLWyP5Ru4I2o9A");
        props.put("listeners", "PLAINTEXT://host1:9092,CONTROLLER://host1:9093");
        props.put("advertised.listeners", "PLAINTEXT://host1:9092");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", "1@host1:9093,2@host2:9093,3@host3:9093");
        props.put("log.dirs", "/var/lib/millrace");
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        BrokerConfig config = BrokerConfig.fromProperties(props, warnings::add);
        assertEquals("PLAINTEXT", config.securityProtocol("CONTROLLER"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void kafkasSampleServerPropertiesStartWithOneWarning() {
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
        props.put("log.dirs", "/tmp/kraft-combined-logs");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        BrokerConfig.fromProperties(props, warnings::add);
        assertEquals(List.of("Ignoring configuration keys Millrace accepts but does not act on yet: "
                + "num.recovery.threads.per.data.dir"), warnings);
    }

    @Test
    void runtimeUpdatesOfUnsupportedKeysAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> BrokerConfigs.validateDynamic("max.connections", "100"));
        assertEquals("max.connections is set to '100', which Millrace does not support yet", e.getMessage());
        assertEquals(Integer.MAX_VALUE, BrokerConfigs.validateDynamic("max.connections", "2147483647"));
        assertEquals(16, BrokerConfigs.validateDynamic("num.io.threads", "16"));

        ConfigKey tiered = TopicConfigs.DEF.key("remote.storage.enable");
        assertEquals("remote.storage.enable is set to 'true', which Millrace does not support yet",
                UnsupportedSettings.refusal(tiered, "true"));
        assertNull(UnsupportedSettings.refusal(tiered, "false"));
        assertNull(UnsupportedSettings.refusal(TopicConfigs.DEF.key("compression.type"), "zstd"));
    }

    @Test
    void describedDocumentationSaysWhatIsNotActedOn() {
        assertTrue(BrokerConfigs.DEF.key("num.io.threads").describedDocumentation().endsWith("and ignores it."));
        assertTrue(BrokerConfigs.DEF.key("sasl.mechanism.controller.protocol").describedDocumentation()
                .endsWith("only the default is accepted."));
        assertEquals(BrokerConfigs.DEF.key("num.partitions").documentation(),
                BrokerConfigs.DEF.key("num.partitions").describedDocumentation());
    }
}

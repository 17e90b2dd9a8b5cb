package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** GROUP config resources: described and altered like Kafka's, kept across restarts, and obeyed. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupConfigIT {
    private static final String GROUP = "tuned-group";
    private static final ConfigResource RESOURCE = new ConfigResource(ConfigResource.Type.GROUP, GROUP);

    @TempDir
    Path dataDir;

    @Test
    void groupConfigsAreDescribedAlteredPersistedAndObeyed() throws Exception {
        try (InProcessBroker broker = InProcessBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "3"))) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("events", 2, (short) 1))).all().get();
                ConfigEntry before = describe(admin).get("consumer.heartbeat.interval.ms");
                assertEquals("5000", before.value());
                assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, before.source());

                alter(admin, new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", "7000"),
                        AlterConfigOp.OpType.SET), new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms",
                        "50000"), AlterConfigOp.OpType.SET));
                ConfigEntry after = describe(admin).get("consumer.heartbeat.interval.ms");
                assertEquals("7000", after.value());
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG, after.source());
                assertEquals("50000", describe(admin).get("consumer.session.timeout.ms").value());

                for (ConfigEntry bad : List.of(new ConfigEntry("consumer.session.timeout.ms", "1000"),
                        new ConfigEntry("consumer.heartbeat.interval.ms", "soon"), new ConfigEntry("no.such.key", "1"))) {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> alter(admin, new AlterConfigOp(bad, AlterConfigOp.OpType.SET)));
                    assertInstanceOf(InvalidConfigurationException.class, e.getCause(), bad.name());
                }
                // Finding a coordinator creates __consumer_offsets; then a member of the group is told 7000.
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            }
            try (RawKafkaConnection conn = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
                ConsumerGroupHeartbeatResponseData joined = Await.value("a ConsumerGroupHeartbeat answered NONE",
                        Duration.ofSeconds(30), () -> {
                            ConsumerGroupHeartbeatResponseData r = (ConsumerGroupHeartbeatResponseData) conn.send(
                                    new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP)
                                            .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0)
                                            .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("events"))
                                            .setTopicPartitions(List.of())).data();
                            return r.errorCode() == Errors.NONE.code() ? r : null;
                        });
                assertEquals(7000, joined.heartbeatIntervalMs());
            }
            broker.restart();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrap()))) {
                assertEquals("7000", describe(admin).get("consumer.heartbeat.interval.ms").value());
                alter(admin, new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", ""),
                        AlterConfigOp.OpType.DELETE));
                ConfigEntry reset = describe(admin).get("consumer.heartbeat.interval.ms");
                assertEquals("5000", reset.value());
                assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, reset.source());
            }
        }
    }

    private static Config describe(Admin admin) throws Exception {
        return admin.describeConfigs(List.of(RESOURCE)).all().get().get(RESOURCE);
    }

    private static void alter(Admin admin, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(RESOURCE, List.of(ops))).all().get();
    }
}

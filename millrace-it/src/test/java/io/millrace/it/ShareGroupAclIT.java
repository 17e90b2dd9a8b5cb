package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs on share groups (KIP-932), with Apache Kafka's KafkaShareConsumer and Admin over SASL/PLAIN:
 * a share consumer needs READ on its group and on its topic, describing a share group DESCRIBE on it and on the topics it is assigned, altering its
 * offsets READ on the group and topic, deleting them DELETE on the group and READ on the topic;
 * each refusal is the exception Kafka's clients raise for Kafka's answer. One broker, one test:
 * the steps build on each other (a group exists once a member joined it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShareGroupAclIT {
    private static final String MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String TOPIC = "share-acl";
    private static final String GROUP = "dave-share";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tempDir;

    @Test
    void shareGroupsCheckWhatKafkaChecks() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl.plain.sasl.jaas.config", MODULE
                + " user_dave=\"dave-secret\" user_erin=\"erin-secret\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS");
        props.put("offsets.topic.num.partitions", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        try (InProcessBroker broker = InProcessBroker.start(tempDir.resolve("data"), props);
             Admin superUser = Clients.admin(broker.bootstrap());
             Admin erin = Clients.admin("127.0.0.1:" + broker.port("SASL"), saslProps("erin"))) {
            String bootstrap = "127.0.0.1:" + broker.port("SASL");
            Clients.get(superUser.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all());
            Clients.setGroupConfigs(superUser, GROUP, Map.of("share.auto.offset.reset", "earliest"));
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "r" + i)).get(30, TimeUnit.SECONDS);
                }
            }

            // A share consumer: READ on the group, then READ on the topic (DESCRIBE, which the client's
            // Metadata request needs first, lets it join the group but not fetch).
            grant(superUser, ResourceType.TOPIC, TOPIC, "User:dave", AclOperation.DESCRIBE);
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, "dave")) {
                consumer.subscribe(List.of(TOPIC));
                assertInstanceOf(GroupAuthorizationException.class, pollUntilThrown(consumer));
            }
            grant(superUser, ResourceType.GROUP, GROUP, "User:dave", AclOperation.READ);
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, "dave")) {
                consumer.subscribe(List.of(TOPIC));
                assertInstanceOf(TopicAuthorizationException.class, pollUntilThrown(consumer),
                        "DESCRIBE lets it join; ShareFetch needs READ");
            }
            grant(superUser, ResourceType.TOPIC, TOPIC, "User:dave", AclOperation.READ);
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(bootstrap, "dave")) {
                consumer.subscribe(List.of(TOPIC));
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                Await.until("dave's 5 records", WAIT, () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return records.size() >= 5;
                });
                consumer.commitSync();

                // Describing: DESCRIBE on the group, and on the topics its members are assigned.
                assertInstanceOf(GroupAuthorizationException.class, failure(
                        () -> Clients.get(erin.describeShareGroups(List.of(GROUP)).all())));
                grant(superUser, ResourceType.GROUP, GROUP, "User:erin", AclOperation.DESCRIBE);
                assertInstanceOf(TopicAuthorizationException.class, failure(
                        () -> Clients.get(erin.describeShareGroups(List.of(GROUP)).all())),
                        "the member's assignment names a topic erin may not describe");
            }
            Await.until("the group is empty", WAIT, () -> Clients.get(superUser.describeShareGroups(List.of(GROUP)).all())
                    .get(GROUP).groupState() == GroupState.EMPTY);
            assertEquals(GroupState.EMPTY, Clients.get(erin.describeShareGroups(List.of(GROUP)).all()).get(GROUP)
                    .groupState(), "an empty group names no topic: DESCRIBE on the group is enough");

            // Offsets: altering needs READ on the group and the topic, deleting DELETE on the group.
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            assertInstanceOf(GroupAuthorizationException.class, failure(
                    () -> Clients.get(erin.alterShareGroupOffsets(GROUP, Map.of(partition, 0L)).all())));
            assertInstanceOf(GroupAuthorizationException.class, failure(
                    () -> Clients.get(erin.deleteShareGroupOffsets(GROUP, Set.of(TOPIC)).all())));
            grant(superUser, ResourceType.GROUP, GROUP, "User:erin", AclOperation.READ);
            grant(superUser, ResourceType.GROUP, GROUP, "User:erin", AclOperation.DELETE);
            assertInstanceOf(TopicAuthorizationException.class, failure(
                    () -> Clients.get(erin.alterShareGroupOffsets(GROUP, Map.of(partition, 0L)).all())));
            assertInstanceOf(TopicAuthorizationException.class, failure(
                    () -> Clients.get(erin.deleteShareGroupOffsets(GROUP, Set.of(TOPIC)).all())));
            assertEquals(5, Clients.get(superUser.listShareGroupOffsets(Map.of(GROUP, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(GROUP)).get(partition).startOffset(), "nothing was altered");
            grant(superUser, ResourceType.TOPIC, TOPIC, "User:erin", AclOperation.READ);
            Clients.get(erin.alterShareGroupOffsets(GROUP, Map.of(partition, 2L)).all());
            assertEquals(2, Clients.get(erin.listShareGroupOffsets(Map.of(GROUP, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(GROUP)).get(partition).startOffset());
        }
    }

    private static Map<String, Object> saslProps(String user) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"" + user + "\" password=\"" + user + "-secret\";");
        return props;
    }

    private static KafkaShareConsumer<String, String> shareConsumer(String bootstrap, String user) {
        Properties props = new Properties();
        props.putAll(saslProps(user));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "share-acl-" + user);
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void grant(Admin admin, ResourceType type, String name, String principal, AclOperation operation) {
        Clients.get(admin.createAcls(List.of(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)))).all());
    }

    /** The client exception a failed admin call ends with. */
    private static Throwable failure(Runnable call) {
        return assertThrows(Clients.ClientCallFailed.class, call::run).getCause();
    }

    private static RuntimeException pollUntilThrown(KafkaShareConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                consumer.poll(Duration.ofMillis(200));
            } catch (RuntimeException e) {
                return e;
            }
        }
        throw new AssertionError("the share consumer never failed");
    }
}

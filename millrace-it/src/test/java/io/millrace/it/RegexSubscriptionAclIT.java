package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KIP-848 consumer ({@code group.protocol=consumer}) subscribing with a broker-side pattern
 * ({@code subscribe(SubscriptionPattern)}, sent as SubscribedTopicRegex; a {@code java.util.regex.Pattern}
 * the client resolves itself against Metadata, which hides those topics already) under ACLs, with
 * Apache Kafka's KafkaConsumer over SASL/PLAIN: the coordinator resolves the pattern to the
 * matching topics the member's principal may DESCRIBE, as Kafka 4.4 does, so alice, who may read
 * {@code a-1} but not {@code a-2}, consumes {@code a-1} without an error and is never assigned
 * {@code a-2}; once granted {@code a-2}, she is assigned it at a following heartbeat. One broker,
 * one test (the steps build on each other); 1 s heartbeats.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegexSubscriptionAclIT {
    private static final String MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String GROUP = "alice-regex";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tempDir;

    @Test
    void aPatternResolvesToTheTopicsTheMemberMayDescribe() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl.plain.sasl.jaas.config", MODULE + " user_alice=\"alice-secret\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS");
        props.put("offsets.topic.num.partitions", "1");
        props.put("group.consumer.heartbeat.interval.ms", "1000");
        props.put("group.consumer.min.heartbeat.interval.ms", "1000");
        try (InProcessBroker broker = InProcessBroker.start(tempDir.resolve("data"), props);
             Admin superUser = Clients.admin(broker.bootstrap())) {
            Clients.get(superUser.createTopics(List.of(new NewTopic("a-1", 2, (short) 1),
                    new NewTopic("a-2", 1, (short) 1))).all());
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("a-1", "one-" + i)).get(30, TimeUnit.SECONDS);
                    producer.send(new ProducerRecord<>("a-2", "two-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            grant(superUser, ResourceType.GROUP, GROUP, AclOperation.READ);
            grant(superUser, ResourceType.TOPIC, "a-1", AclOperation.READ);

            Set<TopicPartition> everAssigned = new HashSet<>();
            Map<String, Integer> consumed = new HashMap<>();
            try (KafkaConsumer<String, String> alice = aliceConsumer("127.0.0.1:" + broker.port("SASL"))) {
                alice.subscribe(new SubscriptionPattern("a-.*"), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        everAssigned.addAll(partitions);
                    }
                });
                Await.until("alice's 5 records of a-1", WAIT, () -> {
                    pollInto(alice, consumed);
                    everAssigned.addAll(alice.assignment());
                    return consumed.getOrDefault("a-1", 0) >= 5;
                });
                alice.commitSync();
                for (int i = 0; i < 3; i++) {
                    pollInto(alice, consumed);
                }
                assertEquals(Map.of("a-1", 5), consumed);
                assertEquals(Set.of(new TopicPartition("a-1", 0), new TopicPartition("a-1", 1)), everAssigned,
                        "a-2, which alice may not describe, was never assigned");
                assertFalse(Clients.get(superUser.describeConsumerGroups(List.of(GROUP)).all()).get(GROUP).members()
                        .stream().anyMatch(m -> m.assignment().topicPartitions().stream()
                                .anyMatch(tp -> tp.topic().equals("a-2"))));

                // Granted a-2, alice is assigned it at one of her next heartbeats.
                grant(superUser, ResourceType.TOPIC, "a-2", AclOperation.READ);
                Await.until("alice's 5 records of a-2", WAIT, () -> {
                    pollInto(alice, consumed);
                    return consumed.getOrDefault("a-2", 0) >= 5;
                });
                assertEquals(Map.of("a-1", 5, "a-2", 5), consumed);
            }
        }
    }

    private static void pollInto(KafkaConsumer<String, String> consumer, Map<String, Integer> consumed) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            consumed.merge(record.topic(), 1, Integer::sum);
        }
    }

    private static KafkaConsumer<String, String> aliceConsumer(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"alice\" password=\"alice-secret\";");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "regex-acl-alice");
        return Clients.consumer(bootstrap, props);
    }

    private static void grant(Admin admin, ResourceType type, String name, AclOperation operation) {
        Clients.get(admin.createAcls(List.of(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW)))).all());
    }
}

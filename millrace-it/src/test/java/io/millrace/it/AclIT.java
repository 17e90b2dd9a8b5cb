package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.tools.AclCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs with Kafka's StandardAuthorizer semantics, through kafka-clients and kafka-acls.sh: one node
 * with an authorizer, a SASL_PLAINTEXT listener whose PLAIN users are admin (a super user), alice,
 * bob, carol and dave, and a PLAINTEXT listener for the broker's own connections (its principal,
 * User:ANONYMOUS, is a super user too, as Kafka asks of a broker's principal). Each test uses its own
 * users and resources, so the ACLs one test writes do not decide another's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AclIT {
    private static final String MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String ORDERS = "acl-orders";

    @TempDir
    static Path tempDir;
    static InProcessBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl.plain.sasl.jaas.config", MODULE + " user_admin=\"admin-secret\" "
                + "user_alice=\"alice-secret\" user_bob=\"bob-secret\" user_carol=\"carol-secret\" "
                + "user_dave=\"dave-secret\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:admin;User:ANONYMOUS");
        props.put("group.initial.rebalance.delay.ms", "0");
        broker = InProcessBroker.start(tempDir.resolve("data"), props);
        admin = Clients.admin(bootstrap(), as("admin"));
        Clients.get(admin.createTopics(List.of(new NewTopic(ORDERS, 1, (short) 1),
                new NewTopic("acl-granted", 1, (short) 1), new NewTopic("shared-open", 1, (short) 1),
                new NewTopic("shared-secret", 1, (short) 1), new NewTopic("everyone-topic", 1, (short) 1),
                new NewTopic("super-only", 1, (short) 1), new NewTopic("acl-txn", 1, (short) 1))).all());
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    private static String bootstrap() {
        return "127.0.0.1:" + broker.port("SASL");
    }

    private static Map<String, Object> as(String user) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"" + user + "\" password=\"" + user + "-secret\";");
        return props;
    }

    private static Map<String, Object> as(String user, Map<String, Object> more) {
        Map<String, Object> props = new HashMap<>(as(user));
        props.putAll(more);
        return props;
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private static AclBinding allow(ResourceType type, String name, String principal, AclOperation operation) {
        return acl(type, name, PatternType.LITERAL, principal, operation, AclPermissionType.ALLOW);
    }

    private static void create(AclBinding... acls) {
        Clients.get(admin.createAcls(List.of(acls)).all());
    }

    /** The client exception a failed admin call ends with. */
    private static Throwable failure(Runnable call) {
        return assertThrows(Clients.ClientCallFailed.class, call::run).getCause();
    }

    private static <T extends Throwable> void assertProducerFails(Class<T> expected, KafkaProducer<String, String> producer,
                                                                 String topic) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS));
        assertInstanceOf(expected, e.getCause(), e.toString());
    }

    /** Polls until the consumer throws (the error arrives with a metadata or fetch answer). */
    private static RuntimeException pollUntilThrown(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                consumer.poll(Duration.ofMillis(200));
            } catch (RuntimeException e) {
                return e;
            }
        }
        throw new AssertionError("the consumer never failed");
    }

    @Test
    void withoutAclsEverythingIsDeniedWithTheErrorsKafkaAnswers() {
        Map<String, Object> carol = as("carol");
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(),
                as("carol", Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1")))) {
            assertProducerFails(TopicAuthorizationException.class, producer, ORDERS);
        }
        TopicPartition orders = new TopicPartition(ORDERS, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(), carol)) {
            consumer.assign(List.of(orders));
            assertInstanceOf(TopicAuthorizationException.class, pollUntilThrown(consumer));
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(),
                as("carol", Map.of("group.id", "carol-group")))) {
            assertThrows(GroupAuthorizationException.class,
                    () -> consumer.commitSync(Map.of(orders, new OffsetAndMetadata(0))));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(),
                as("carol", Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "carol-txn")))) {
            assertThrows(TransactionalIdAuthorizationException.class, producer::initTransactions);
        }
        try (Admin client = Clients.admin(bootstrap(), carol)) {
            assertInstanceOf(ClusterAuthorizationException.class,
                    failure(() -> Clients.get(client.createAcls(List.of(allow(ResourceType.TOPIC, ORDERS, "User:carol",
                            AclOperation.ALL))).all())));
            assertInstanceOf(ClusterAuthorizationException.class,
                    failure(() -> Clients.get(client.describeAcls(AclBindingFilter.ANY).values())));
            assertInstanceOf(TopicAuthorizationException.class,
                    failure(() -> Clients.get(client.createTopics(List.of(new NewTopic("carols", 1, (short) 1))).all())));
            assertInstanceOf(TopicAuthorizationException.class,
                    failure(() -> Clients.get(client.deleteTopics(List.of(ORDERS)).all())));
            // client quotas: ALTER_CONFIGS / DESCRIBE_CONFIGS on the cluster, as Kafka
            org.apache.kafka.common.quota.ClientQuotaEntity carolsClient = new org.apache.kafka.common.quota.ClientQuotaEntity(
                    Map.of(org.apache.kafka.common.quota.ClientQuotaEntity.CLIENT_ID, "carol-app"));
            assertInstanceOf(ClusterAuthorizationException.class,
                    failure(() -> Clients.get(client.alterClientQuotas(List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration(
                            carolsClient, List.of(new org.apache.kafka.common.quota.ClientQuotaAlteration.Op(
                                    "producer_byte_rate", 1e9))))).all())));
            assertInstanceOf(ClusterAuthorizationException.class,
                    failure(() -> Clients.get(client.describeClientQuotas(
                            org.apache.kafka.common.quota.ClientQuotaFilter.all()).entities())));
        }
    }

    @Test
    void metadataHidesTopicsAndAnUnauthorizedTopicLooksLikeAMissingOne() {
        try (Admin client = Clients.admin(bootstrap(), as("carol"))) {
            Set<String> visible = Clients.get(client.listTopics().names());
            assertFalse(visible.contains(ORDERS), visible.toString());
            Throwable existing = failure(() -> Clients.get(client.describeTopics(List.of(ORDERS)).allTopicNames()));
            Throwable missing = failure(() -> Clients.get(client.describeTopics(List.of("never-created")).allTopicNames()));
            assertInstanceOf(TopicAuthorizationException.class, existing);
            assertInstanceOf(TopicAuthorizationException.class, missing);
            assertEquals(existing.getMessage().replace(ORDERS, "X"), missing.getMessage().replace("never-created", "X"));
        }
        // nor does a producer's Metadata request create it: auto-creation needs DESCRIBE and CREATE
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(),
                as("carol", Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1")))) {
            assertProducerFails(TopicAuthorizationException.class, producer, "never-created");
        }
        assertFalse(Clients.get(admin.listTopics().names()).contains("never-created"));
    }

    @Test
    void grantedAclsLetAliceProduceConsumeAndCommit() {
        create(allow(ResourceType.TOPIC, "acl-granted", "User:alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "acl-granted", "User:alice", AclOperation.READ),
                allow(ResourceType.GROUP, "alice-group", "User:alice", AclOperation.READ));
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(), as("alice"))) {
            assertDoesNotFail(() -> producer.send(new ProducerRecord<>("acl-granted", "k", "v")).get(30, TimeUnit.SECONDS));
        }
        TopicPartition partition = new TopicPartition("acl-granted", 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(),
                as("alice", Map.of("group.id", "alice-group")))) {
            consumer.assign(List.of(partition));
            assertEquals(1, Clients.pollUntil(consumer, partition, 1).size());
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)));
            assertEquals(1, consumer.committed(Set.of(partition)).get(partition).offset());
        }
        // the same consumer in a group alice may not read is refused
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(),
                as("alice", Map.of("group.id", "other-group")))) {
            assertThrows(GroupAuthorizationException.class,
                    () -> consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1))));
        }
    }

    @Test
    void grantedTransactionsAndSubscribedGroupsWork() {
        create(allow(ResourceType.TOPIC, "acl-txn", "User:alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "acl-txn", "User:alice", AclOperation.READ),
                acl(ResourceType.TRANSACTIONAL_ID, "alice-txn-", PatternType.PREFIXED, "User:alice", AclOperation.WRITE,
                        AclPermissionType.ALLOW),
                allow(ResourceType.GROUP, "alice-subscribers", "User:alice", AclOperation.READ));
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(),
                as("alice", Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-txn-1")))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("acl-txn", "k", "committed"));
            producer.commitTransaction();
        }
        // a classic group member: FindCoordinator, JoinGroup, SyncGroup, OffsetFetch, OffsetCommit
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(), as("alice",
                Map.of("group.id", "alice-subscribers", "isolation.level", "read_committed")))) {
            consumer.subscribe(List.of("acl-txn"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            assertEquals(List.of("committed"), values);
            consumer.commitSync();
        }
    }

    @Test
    void aConsumerProtocolMemberNeedsDescribeOnTheTopicsItSubscribes() {
        create(allow(ResourceType.GROUP, "carol-848", "User:carol", AclOperation.READ));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(), as("carol",
                Map.of("group.id", "carol-848", "group.protocol", "consumer")))) {
            consumer.subscribe(List.of(ORDERS));
            assertInstanceOf(TopicAuthorizationException.class, pollUntilThrown(consumer));
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertDoesNotFail(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            throw new AssertionError("failed: " + e, e);
        }
    }

    @Test
    void denyWinsOverAllowAndPrefixesMatchTheStartOfNames() {
        create(acl(ResourceType.TOPIC, "shared-", PatternType.PREFIXED, "User:dave", AclOperation.ALL,
                        AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "shared-secret", PatternType.LITERAL, "User:dave", AclOperation.ALL,
                        AclPermissionType.DENY));
        try (Admin client = Clients.admin(bootstrap(), as("dave"))) {
            assertEquals(Set.of("shared-open"), Clients.get(client.describeTopics(List.of("shared-open")).allTopicNames())
                    .keySet());
            assertInstanceOf(TopicAuthorizationException.class,
                    failure(() -> Clients.get(client.describeTopics(List.of("shared-secret")).allTopicNames())));
            Set<String> visible = Clients.get(client.listTopics().names());
            assertTrue(visible.contains("shared-open") && !visible.contains("shared-secret")
                    && !visible.contains(ORDERS), visible.toString());
            // the authorized operations Admin asks for: ALL on the topic; none on the cluster without DESCRIBE
            assertEquals(Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS),
                    Clients.get(client.describeTopics(List.of("shared-open"),
                            new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames())
                            .get("shared-open").authorizedOperations());
            assertEquals(Set.of(), Clients.get(client.describeCluster(
                    new DescribeClusterOptions().includeAuthorizedOperations(true)).authorizedOperations()));
        }
        assertTrue(Clients.get(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                .authorizedOperations()).containsAll(Set.of(AclOperation.ALTER, AclOperation.CLUSTER_ACTION)));
        // DescribeAcls filters: by principal, by pattern type, and MATCH (the ACLs that apply to one resource)
        Collection<AclBinding> daves = Clients.get(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:dave", null, AclOperation.ANY, AclPermissionType.ANY))).values());
        assertEquals(2, daves.size(), daves.toString());
        Collection<AclBinding> prefixed = Clients.get(admin.describeAcls(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.PREFIXED),
                AccessControlEntryFilter.ANY)).values());
        assertTrue(prefixed.stream().allMatch(b -> b.pattern().patternType() == PatternType.PREFIXED), prefixed.toString());
        Collection<AclBinding> applying = Clients.get(admin.describeAcls(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "shared-secret", PatternType.MATCH),
                AccessControlEntryFilter.ANY)).values());
        assertEquals(Set.copyOf(daves), Set.copyOf(applying));
    }

    @Test
    void wildcardsGrantAndDeletingTheAclsRestoresDenial() {
        AclBinding everyTopic = allow(ResourceType.TOPIC, "*", "User:bob", AclOperation.DESCRIBE);
        AclBinding everyone = allow(ResourceType.TOPIC, "everyone-topic", "User:*", AclOperation.DESCRIBE);
        create(everyTopic, everyone);
        try (Admin client = Clients.admin(bootstrap(), as("bob"))) {
            assertTrue(Clients.get(client.listTopics().names()).containsAll(List.of(ORDERS, "shared-secret")));
            Collection<AclBinding> deleted = Clients.get(admin.deleteAcls(List.of(everyTopic.toFilter())).all());
            assertEquals(List.of(everyTopic), List.copyOf(deleted));
            Set<String> visible = Clients.get(client.listTopics().names());
            assertEquals(Set.of("everyone-topic"), visible); // only what User:* may describe
            assertInstanceOf(TopicAuthorizationException.class,
                    failure(() -> Clients.get(client.describeTopics(List.of(ORDERS)).allTopicNames())));
        }
        Clients.get(admin.deleteAcls(List.of(everyone.toFilter())).all());
    }

    @Test
    void superUsersNeedNoAcls() {
        // admin is a super user: it writes and reads a topic nobody wrote an ACL for
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(), as("admin"))) {
            assertDoesNotFail(() -> producer.send(new ProducerRecord<>("super-only", "k", "by-admin")).get(30,
                    TimeUnit.SECONDS));
        }
        TopicPartition partition = new TopicPartition("super-only", 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap(),
                as("admin", Map.of("group.id", "admin-group")))) {
            consumer.assign(List.of(partition));
            assertEquals(1, Clients.pollUntil(consumer, partition, 1).size());
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(1)));
        }
    }

    @Test
    void kafkaAclsAddsListsAndRemoves() throws Exception {
        Path config = tempDir.resolve("admin.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=" + MODULE
                + " username=\"admin\" password=\"admin-secret\";\n");
        String entry = "(principal=User:tool, host=*, operation=READ, permissionType=ALLOW)";
        KafkaToolRun add = KafkaToolRun.run(AclCommand.class, bootstrap(), "--command-config", config.toString(),
                "--add", "--allow-principal", "User:tool", "--operation", "Read", "--topic", "tool-topic");
        assertEquals(0, add.exitCode(), add.toString());
        KafkaToolRun list = KafkaToolRun.run(AclCommand.class, bootstrap(), "--command-config", config.toString(),
                "--list", "--topic", "tool-topic");
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.stdout().contains("ResourcePattern(resourceType=TOPIC, name=tool-topic, patternType=LITERAL)")
                && list.stdout().contains(entry), list.toString());
        KafkaToolRun remove = KafkaToolRun.run(AclCommand.class, bootstrap(), "--command-config", config.toString(),
                "--remove", "--allow-principal", "User:tool", "--operation", "Read", "--topic", "tool-topic", "--force");
        assertEquals(0, remove.exitCode(), remove.toString());
        KafkaToolRun after = KafkaToolRun.run(AclCommand.class, bootstrap(), "--command-config", config.toString(),
                "--list", "--topic", "tool-topic");
        assertFalse(after.stdout().contains(entry), after.toString());
    }
}

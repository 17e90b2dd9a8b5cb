package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 with kafka-clients: users created, described and deleted through
 * the Admin API and kafka-configs.sh on a PLAINTEXT listener, clients authenticating on a
 * SASL_PLAINTEXT listener, kcat too; and on three nodes, a credential created through one node
 * authenticating on another.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslScramIT {
    private static final String MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";
    @TempDir
    static Path tempDir;
    static InProcessBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(tempDir.resolve("data"), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl.scram-sha-256.sasl.jaas.config", MODULE + ";"));
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(broker);
    }

    static Map<String, Object> scram(String mechanism, String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, mechanism);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"" + user + "\" password=\"" + password + "\";");
        return props;
    }

    private static String sasl() {
        return "127.0.0.1:" + broker.port("SASL");
    }

    private static void produceAndConsume(Map<String, Object> security, String topic) {
        try (Admin admin = Clients.admin(sasl(), security)) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        try (KafkaProducer<String, String> producer = Clients.producer(sasl(), security)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(sasl(), security)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertEquals("v9", Clients.pollUntil(consumer, partition, 10).get(9).value());
        }
    }

    static Throwable authenticationFailure(String bootstrap, Map<String, Object> security) {
        try (Admin admin = Clients.admin(bootstrap, security)) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            return assertInstanceOf(SaslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    @Test
    void adminApiUsersAuthenticateWithBothMechanismsUntilDeleted() {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.get(admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                            "alice-secret"),
                    new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                            "bob-secret"))).all());
            Map<String, UserScramCredentialsDescription> described =
                    Clients.get(admin.describeUserScramCredentials().all());
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192)),
                    described.get("alice").credentialInfos());
            assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096)),
                    described.get("bob").credentialInfos());
            Clients.ClientCallFailed tooFew = assertThrows(Clients.ClientCallFailed.class, () -> Clients.get(
                    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 1000), "x"))).all()));
            assertInstanceOf(UnacceptableCredentialException.class, tooFew.getCause());

            produceAndConsume(scram("SCRAM-SHA-256", "alice", "alice-secret"), "scram-256");
            produceAndConsume(scram("SCRAM-SHA-512", "bob", "bob-secret"), "scram-512");
            Throwable wrong = authenticationFailure(sasl(), scram("SCRAM-SHA-256", "alice", "wrong"));
            assertTrue(wrong.getMessage().contains("Invalid user credentials"), wrong.toString());
            authenticationFailure(sasl(), scram("SCRAM-SHA-512", "alice", "alice-secret")); // no SHA-512 credential

            Clients.get(admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialDeletion("alice", ScramMechanism.SCRAM_SHA_256))).all());
            authenticationFailure(sasl(), scram("SCRAM-SHA-256", "alice", "alice-secret"));
            Clients.ClientCallFailed gone = assertThrows(Clients.ClientCallFailed.class, () -> Clients.get(
                    admin.describeUserScramCredentials(List.of("alice")).description("alice")));
            assertInstanceOf(ResourceNotFoundException.class, gone.getCause());
        }
    }

    @Test
    void kafkaConfigsAddsDescribesAndDeletesCredentials() throws Exception {
        // One mechanism per run: like Kafka, a request naming a user twice is DUPLICATE_RESOURCE.
        for (String config : List.of("SCRAM-SHA-256=[iterations=8192,password=dave-secret]",
                "SCRAM-SHA-512=[password=dave-secret]")) {
            KafkaToolRun add = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--add-config",
                    config, "--entity-type", "users", "--entity-name", "dave");
            assertEquals(0, add.exitCode(), add.toString());
        }
        KafkaToolRun describe = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "users");
        assertEquals(0, describe.exitCode(), describe.toString());
        assertTrue(describe.stdout().contains("SCRAM credential configs for user-principal 'dave' are "
                + "SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096"), describe.stdout());
        produceAndConsume(scram("SCRAM-SHA-512", "dave", "dave-secret"), "scram-tool");

        KafkaToolRun delete = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter", "--delete-config",
                "SCRAM-SHA-512", "--entity-type", "users", "--entity-name", "dave");
        assertEquals(0, delete.exitCode(), delete.toString());
        KafkaToolRun after = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                "--entity-type", "users", "--entity-name", "dave");
        assertTrue(after.stdout().contains("user-principal 'dave' are SCRAM-SHA-256=iterations=8192\n"), after.stdout());
        authenticationFailure(sasl(), scram("SCRAM-SHA-512", "dave", "dave-secret"));
    }

    @Test
    void kcatAuthenticatesWithScram() throws Exception {
        Kcat kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("kcat not installed: SaslScramIT.kcatAuthenticatesWithScram skipped");
            return;
        }
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.get(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("frank",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "frank-secret"))).all());
            Clients.createTopic(admin, "kcat-scram", 1, Map.of());
        }
        List<String> common = List.of("-b", sasl(), "-X", "security.protocol=SASL_PLAINTEXT",
                "-X", "sasl.mechanisms=SCRAM-SHA-512", "-X", "sasl.username=frank", "-X", "sasl.password=frank-secret");
        List<String> produce = new java.util.ArrayList<>(common);
        produce.addAll(List.of("-P", "-t", "kcat-scram"));
        Kcat.Result produced = kcat.run("one\ntwo\n", produce.toArray(String[]::new));
        assertEquals(0, produced.exitCode(), produced.toString());
        List<String> consume = new java.util.ArrayList<>(common);
        consume.addAll(List.of("-C", "-t", "kcat-scram", "-e", "-o", "beginning"));
        Kcat.Result consumed = kcat.run("", consume.toArray(String[]::new));
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("one", "two"), consumed.lines());
    }

    @Test
    void aCredentialCreatedOnOneNodeAuthenticatesOnAnother() {
        Map<Integer, Map<String, String>> nodeProps = new HashMap<>();
        Map<Integer, Integer> saslPorts = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            int port = FreePorts.next();
            saslPorts.put(id, port);
            nodeProps.put(id, Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller.port},"
                            + "SASL://127.0.0.1:" + port,
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:{port},SASL://127.0.0.1:" + port));
        }
        ClusterHarness cluster = ClusterHarness.create("scram", 3, tempDir.resolve("cluster"), Map.of(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "SCRAM-SHA-512"), nodeProps);
        try (cluster) {
            cluster.start(cluster.nodeIds());
            try (Admin admin = Clients.admin(cluster.bootstrap(1))) {
                Clients.get(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("erin",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "erin-secret"))).all());
            }
            Map<String, Object> erin = scram("SCRAM-SHA-512", "erin", "erin-secret");
            Await.until("node 3 authenticates erin", Duration.ofSeconds(30), () -> {
                try (Admin admin = Clients.admin("127.0.0.1:" + saslPorts.get(3), erin)) {
                    return Clients.get(admin.describeCluster().nodes()).size() == 3;
                } catch (Clients.ClientCallFailed e) {
                    return false;
                }
            });
        }
    }
}

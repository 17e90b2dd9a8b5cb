package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 with kafka-clients: users created, described and deleted through
 * the Admin API and kafka-configs.sh on a PLAINTEXT listener, clients authenticating on a
 * SASL_PLAINTEXT listener, kcat too; and on a listener with sessions of 2 s (KIP-368), clients
 * re-authenticating on their connections until their credential is deleted, and a raw connection
 * that does not re-authenticate closed. (On three nodes: InterBrokerSaslIT.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslScramIT {
    private static final String MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    @TempDir
    static Path tempDir;
    static InProcessBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(tempDir.resolve("data"), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0,SASL://127.0.0.1:0,REAUTH://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT,REAUTH:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl.scram-sha-256.sasl.jaas.config", MODULE + ";",
                "listener.name.reauth.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
                "listener.name.reauth.plain.sasl.jaas.config", PLAIN_MODULE + " user_raw=\"raw-secret\";",
                "listener.name.reauth.connections.max.reauth.ms", "1500",
                "listener.name.reauth.scram-sha-256.connections.max.reauth.ms", "2000"));
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

    private static String reauth() {
        return "127.0.0.1:" + broker.port("REAUTH");
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
        org.junit.jupiter.api.Assumptions.assumeTrue(kcat != null, "kcat not installed: SaslScramIT.kcatAuthenticatesWithScram skipped");
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
    void clientsReAuthenticateOnTheirConnectionsUntilTheirCredentialIsDeleted() throws Exception {
        String topic = "reauth";
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.get(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("grace",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "grace-secret"))).all());
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        Map<String, Object> grace = scram("SCRAM-SHA-256", "grace", "grace-secret");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = Clients.producer(reauth(), grace);
             KafkaConsumer<String, String> consumer = Clients.consumer(reauth(), grace)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // Sessions of 2 s (listener.name.reauth.scram-sha-256.connections.max.reauth.ms): three or so
            // re-authentications on each connection while records keep flowing.
            long end = System.nanoTime() + Duration.ofMillis(6_500).toNanos();
            int sent = 0;
            int received = 0;
            while (System.nanoTime() - end < 0) {
                producer.send(new ProducerRecord<>(topic, "k" + sent, "v" + sent)).get(30, TimeUnit.SECONDS);
                sent++;
                received += consumer.poll(Duration.ofMillis(100)).count();
            }
            received += Clients.pollUntil(consumer, partition, sent).size();
            assertEquals(sent, received);
            assertTrue(metric(producer.metrics(), "successful-reauthentication-total") >= 2, producer.metrics()
                    .keySet().toString());
            assertTrue(metric(consumer.metrics(), "successful-reauthentication-total") >= 2);
            assertEquals(0, metric(producer.metrics(), "failed-reauthentication-total"));
            assertEquals(0, metric(consumer.metrics(), "failed-reauthentication-total"));

            // A deleted credential fails the next re-authentication, and the connection closes.
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                Clients.get(admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialDeletion("grace", ScramMechanism.SCRAM_SHA_256))).all());
            }
            Await.until("the consumer's re-authentication fails", Duration.ofSeconds(15), () -> {
                try {
                    consumer.poll(Duration.ofMillis(100));
                } catch (SaslAuthenticationException e) {
                    return true;
                }
                return metric(consumer.metrics(), "failed-reauthentication-total") >= 1;
            });
        }
    }

    @Test
    void aConnectionThatDoesNotReAuthenticateIsClosedWhenItsSessionEnds() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("REAUTH"))) {
            SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) raw.send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), (short) 1).data();
            assertEquals(Errors.NONE.code(), handshake.errorCode());
            // the broker's session starts when it authenticates, between this send and the reply
            long authenticatedAt = System.nanoTime();
            SaslAuthenticateResponseData authenticated = (SaslAuthenticateResponseData) raw.send(
                    new SaslAuthenticateRequestData().setAuthBytes("\u0000raw\u0000raw-secret"
                            .getBytes(StandardCharsets.UTF_8)), (short) 2).data();
            assertEquals(Errors.NONE.code(), authenticated.errorCode());
            // listener.name.reauth.connections.max.reauth.ms: PLAIN has no mechanism-specific value
            assertEquals(1_500, authenticated.sessionLifetimeMs());
            raw.send(new MetadataRequestData(), (short) 12);
            Await.until("the broker closes the connection at the first request after the session",
                    Duration.ofSeconds(15), () -> {
                        try {
                            raw.send(new MetadataRequestData(), (short) 12);
                            return false;
                        } catch (UncheckedIOException e) {
                            return true;
                        }
                    });
            assertTrue(System.nanoTime() - authenticatedAt >= Duration.ofMillis(1_500).toNanos());
        }
        // The broker carries on.
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            assertEquals(1, Clients.get(admin.describeCluster().nodes()).size());
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name)
                        && e.getKey().group().endsWith("-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}

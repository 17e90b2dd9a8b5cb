package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes whose inter-broker listener is SASL_SSL with SCRAM-SHA-512, each broker its own user
 * (from its listener's JAAS configuration), the credentials in the cluster metadata: replica
 * fetchers, transaction markers and verification authenticate over TLS; a broker whose password
 * is wrong says so in one log line and stays out of the ISR until its credential is fixed. Clients
 * use the SASL_SSL listener too (a credential created through node 1 authenticates on node 3); the
 * PLAINTEXT listener is the harness's. Sessions last 3 s (connections.max.reauth.ms), so every
 * connection, the brokers' own too, re-authenticates on the way. Three broker processes: the
 * only test of SASL between separate brokers (it took over SaslScramIT's three-node case).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InterBrokerSaslIT {
    private static final String MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";
    private static final String FAILURE = "SASL/SCRAM-SHA-512 authentication as broker-3 to the broker at";
    @TempDir
    Path tempDir;

    private static UserScramCredentialUpsertion user(String name, String password) {
        return new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                password);
    }

    private static String logSince(Path file, long offset) throws IOException {
        byte[] all = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    @Test
    void brokersAuthenticateToEachOtherWithScramOverTls() throws Exception {
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        Path keys = certs.keyStore("broker", "CN=localhost,O=millrace-test");
        Path trust = certs.trustStore("trust", keys);
        Map<String, String> props = new HashMap<>();
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_SSL");
        props.put("inter.broker.listener.name", "SASL");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        // Sessions of 3 s (KIP-368): brokers and clients re-authenticate on their connections throughout.
        props.put("connections.max.reauth.ms", "3000");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", keys.toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", trust.toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        Map<Integer, Map<String, String>> nodeProps = new HashMap<>();
        Map<Integer, Integer> saslPorts = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            int port = FreePorts.next();
            saslPorts.put(id, port);
            nodeProps.put(id, Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller.port},"
                            + "SASL://127.0.0.1:" + port,
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:{port},SASL://127.0.0.1:" + port,
                    "listener.name.sasl.scram-sha-512.sasl.jaas.config",
                    MODULE + " username=\"broker-" + id + "\" password=\"broker-" + id + "-secret\";"));
        }
        Map<String, Object> erin = new HashMap<>();
        erin.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        erin.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        erin.put(SaslConfigs.SASL_JAAS_CONFIG, MODULE + " username=\"erin\" password=\"erin-secret\";");
        erin.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        erin.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.toString());
        erin.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        String saslBootstrap = "127.0.0.1:" + saslPorts.get(1) + ",127.0.0.1:" + saslPorts.get(2);

        ClusterHarness cluster = ClusterHarness.create("inter-broker-sasl", 3, tempDir.resolve("data"), props,
                nodeProps);
        try (cluster) {
            cluster.start(cluster.nodeIds());
            // Where each node's log stood before any broker could try to authenticate (a first start
            // truncates the file, so only now): no topic, so no replica fetcher, exists yet.
            Map<Integer, Long> logStarts = new HashMap<>();
            for (int id : cluster.nodeIds()) {
                Path log = cluster.node(id).logFile();
                logStarts.put(id, Files.exists(log) ? Files.size(log) : 0);
            }
            Path node3Log = cluster.node(3).logFile();
            long node3LogStart = logStarts.get(3);
            String topic = "replicated-over-sasl";
            TopicPartition partition = new TopicPartition(topic, 0);
            try (Admin admin = Clients.admin(cluster.bootstrap(1))) {
                // Node 3's credential does not match the password in its JAAS configuration.
                Clients.get(admin.alterUserScramCredentials(List.of(user("broker-1", "broker-1-secret"),
                        user("broker-2", "broker-2-secret"), user("broker-3", "not-node-3s-password"),
                        user("erin", "erin-secret"))).all());
                cluster.createTopic(admin, new NewTopic(topic, Map.of(0, List.of(1, 2, 3)))
                        .configs(Map.of("min.insync.replicas", "2")));
                Await.until("node 3 authenticates erin", Duration.ofSeconds(30), () -> {
                    try (Admin onNode3 = Clients.admin("127.0.0.1:" + saslPorts.get(3), erin)) {
                        return Clients.get(onNode3.describeCluster().nodes()).size() == 3;
                    } catch (Clients.ClientCallFailed e) {
                        return false;
                    }
                });
                Map<String, Object> acksAll = new HashMap<>(erin);
                acksAll.put(ProducerConfig.ACKS_CONFIG, "all");
                try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, acksAll)) {
                    for (int i = 0; i < 20; i++) {
                        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
                    }
                    producer.flush();
                }
                assertEquals(List.of(1, 2), cluster.awaitIsr(admin, topic, 0, 2, Duration.ofSeconds(30)).stream()
                        .sorted().toList());
                String failures = Await.value("node 3 logs why it cannot fetch", Duration.ofSeconds(30), () -> {
                    try {
                        String log = logSince(node3Log, node3LogStart);
                        return log.contains(FAILURE) ? log : null;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                List<String> lines = failures.lines().filter(l -> l.contains(FAILURE)).toList();
                assertEquals(1, lines.size(), "one line however often it retries: " + lines);
                assertTrue(lines.get(0).contains("127.0.0.1:" + saslPorts.get(1) + " failed: Authentication failed: "
                        + "Invalid user credentials (check the username and password in "
                        + "listener.name.sasl.scram-sha-512.sasl.jaas.config)"), lines.get(0));

                Clients.get(admin.alterUserScramCredentials(List.of(user("broker-3", "broker-3-secret"))).all());
                assertEquals(3, cluster.awaitIsr(admin, topic, 0, 3, Duration.ofSeconds(30)).size());
            }
            // Transaction markers and verification travel between the brokers too.
            Map<String, Object> transactional = new HashMap<>(erin);
            transactional.put(ProducerConfig.ACKS_CONFIG, "all");
            transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sasl-txn");
            try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, transactional)) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 20; i < 30; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
                }
                producer.commitTransaction();
            }
            Map<String, Object> readCommitted = new HashMap<>(erin);
            readCommitted.put("isolation.level", "read_committed");
            try (var consumer = Clients.consumer("127.0.0.1:" + saslPorts.get(3), readCommitted)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                // 30 records and the commit marker, which acks=all and min.insync.replicas=2 put on every node.
                assertEquals(30, Clients.pollUntil(consumer, partition, 31).size());
            }
            // The brokers' own connections re-authenticate before their sessions end (a client's
            // pipelined request may still arrive late on a loaded machine: that is the client's affair).
            for (int id : cluster.nodeIds()) {
                List<String> late = logSince(cluster.node(id).logFile(), logStarts.get(id)).lines()
                        .filter(l -> l.contains("did not re-authenticate") && l.contains("(User:broker-")).toList();
                assertEquals(List.of(), late, "node " + id + " closed a broker's connection whose session ended");
            }
        }
    }
}

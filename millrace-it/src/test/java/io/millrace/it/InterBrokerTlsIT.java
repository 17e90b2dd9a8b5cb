package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes whose inter-broker listener is SSL (with host name verification and mutual TLS) and
 * whose controller listener is SSL too: the metadata quorum (Raft over gRPC) runs mutual TLS, so
 * the cluster forms and replicates its metadata only through it; followers replicate, and
 * transaction markers and verification travel, over TLS; clients use the SSL listener too, while
 * the PLAINTEXT listener is left for the harness. An authorizer is set and the certificate's
 * principal is a super user, so replica fetches, markers and verification pass the
 * CLUSTER_ACTION checks of a secured cluster.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InterBrokerTlsIT {
    @TempDir
    Path tempDir;

    @Test
    void replicationAndTransactionsRunOverTls() throws Exception {
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        Path keys = certs.keyStore("broker", "CN=localhost,O=millrace-test");
        Path trust = certs.trustStore("trust", keys);
        Map<String, String> props = new HashMap<>();
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:SSL");
        props.put("inter.broker.listener.name", "SSL");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", keys.toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", trust.toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        props.put("listener.name.ssl.ssl.client.auth", "required");
        // ACLs on: the brokers' certificate principal (clients here share it) is a super user, as Kafka asks
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:CN=localhost,O=millrace-test");
        Map<Integer, Map<String, String>> nodeProps = new HashMap<>();
        Map<Integer, Integer> sslPorts = new HashMap<>();
        for (int id = 1; id <= 2; id++) {
            int sslPort = BrokerProcess.freePort();
            sslPorts.put(id, sslPort);
            nodeProps.put(id, Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:{port},SSL://127.0.0.1:" + sslPort
                            + ",CONTROLLER://127.0.0.1:{controller.port}",
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:{port},SSL://127.0.0.1:" + sslPort));
        }
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.toString());
        client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        client.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keys.toString());
        client.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        String sslBootstrap = "127.0.0.1:" + sslPorts.get(1) + ",127.0.0.1:" + sslPorts.get(2);

        try (ClusterHarness cluster = ClusterHarness.create("inter-broker-tls", 2, tempDir.resolve("data"), props,
                nodeProps)) {
            cluster.start(cluster.nodeIds());
            assertQuorumSpeaksMutualTls(cluster.node(2).properties().get("controller.quorum.voters"), keys, trust);
            String topic = "replicated-over-tls";
            try (Admin admin = Clients.admin(sslBootstrap, client)) {
                cluster.createTopic(admin, topic, 1, 2, Map.of("min.insync.replicas", "2"));
                assertEquals(2, cluster.awaitIsr(admin, topic, 0, 2, Duration.ofSeconds(30)).size());
            }
            Map<String, Object> producerProps = new HashMap<>(client);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tls-txn");
            try (KafkaProducer<String, String> producer = Clients.producer(sslBootstrap, producerProps)) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
                }
                producer.commitTransaction();
            }
            Map<String, Object> readCommitted = new HashMap<>(client);
            readCommitted.put("isolation.level", "read_committed");
            TopicPartition partition = new TopicPartition(topic, 0);
            try (var consumer = Clients.consumer(sslBootstrap, readCommitted)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                // 50 records and the commit marker, which acks=all and min.insync.replicas=2 put on both nodes.
                assertEquals(50, Clients.pollUntil(consumer, partition, 51).size());
            }
        }
    }

    /** Node 1's Raft port completes a TLS handshake with a client certificate, and refuses one without. */
    private static void assertQuorumSpeaksMutualTls(String voters, Path keys, Path trust) throws Exception {
        String first = voters.split(",")[0];
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        try (SSLSocket socket = tlsSocket(port, keys, trust)) {
            socket.startHandshake();
            assertEquals("CN=localhost,O=millrace-test",
                    ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
        }
        boolean refused;
        try (SSLSocket socket = tlsSocket(port, null, trust)) {
            socket.startHandshake();
            // TLS 1.3: the server's refusal arrives after the client's Finished; an accepted client
            // would be left waiting for gRPC's preface until the read times out
            refused = socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            refused = false;
        } catch (IOException e) {
            refused = true;
        }
        assertTrue(refused, "a client without a certificate is refused by the quorum");
    }

    private static SSLSocket tlsSocket(int port, Path keys, Path trust) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys == null ? null : load(keys), TestCertificates.PASSWORD.toCharArray());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(load(trust));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"}); // gRPC's
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return keyStore;
    }
}

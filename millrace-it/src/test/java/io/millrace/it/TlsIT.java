package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import io.millrace.server.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners with kafka-clients and kcat: one node with a PLAINTEXT listener, an SSL listener
 * (PKCS12 key store), an SSL listener requiring client certificates (MTLS) and an SSL listener
 * whose key is a PEM file; every key and certificate is made by the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsIT {
    @TempDir
    static Path tempDir;
    static Path brokerKeys;
    static Path clientKeys;
    static Path clientTrust;
    static Path brokerCertPem;
    static InProcessBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        brokerKeys = certs.keyStore("broker", "CN=localhost,O=millrace-test");
        clientKeys = certs.keyStore("client", "CN=app,OU=eng,O=millrace-test");
        clientTrust = certs.trustStore("client-trust", brokerKeys);
        Path brokerTrust = certs.trustStore("broker-trust", clientKeys);
        brokerCertPem = certs.certificatePem("broker-cert", brokerKeys);
        Path brokerPem = certs.keyAndCertificatePem("broker-key", brokerKeys);
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,MTLS://127.0.0.1:0,PEM://127.0.0.1:0");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,PEM:SSL");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", brokerKeys.toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("ssl.key.password", TestCertificates.PASSWORD);
        props.put("listener.name.mtls.ssl.client.auth", "required");
        props.put("listener.name.mtls.ssl.truststore.type", "PKCS12");
        props.put("listener.name.mtls.ssl.truststore.location", brokerTrust.toString());
        props.put("listener.name.mtls.ssl.truststore.password", TestCertificates.PASSWORD);
        props.put("listener.name.mtls.ssl.principal.mapping.rules", "RULE:^CN=(.*?),OU=.*$/$1/U,DEFAULT");
        props.put("listener.name.pem.ssl.keystore.type", "PEM");
        props.put("listener.name.pem.ssl.keystore.location", brokerPem.toString());
        props.put("listener.name.pem.ssl.keystore.password", "");
        props.put("listener.name.pem.ssl.key.password", "");
        broker = InProcessBroker.start(tempDir.resolve("data"), props);
    }

    @AfterAll
    static void stopBroker() {
        Clients.closeAll(broker);
    }

    private static String bootstrap(String listener) {
        return "127.0.0.1:" + broker.port(listener);
    }

    private static Map<String, Object> trusting() {
        Map<String, Object> ssl = new HashMap<>();
        ssl.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        ssl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        ssl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, clientTrust.toString());
        ssl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        return ssl;
    }

    private static Map<String, Object> withClientCertificate() {
        Map<String, Object> ssl = trusting();
        ssl.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        ssl.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, clientKeys.toString());
        ssl.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        ssl.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        return ssl;
    }

    /** Creates a topic, produces {@code count} values of about 10 KB and reads them back, all on one listener. */
    private static void produceAndConsume(String listener, Map<String, Object> ssl, String topic, int count) {
        String bootstrap = bootstrap(listener);
        try (Admin admin = Clients.admin(bootstrap, ssl)) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        String filler = "x".repeat(10_000);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, ssl)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, i + ":" + filler));
            }
            producer.flush();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, ssl)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, partition, count);
            assertEquals(count, records.size());
            for (int i = 0; i < count; i++) {
                assertEquals(i + ":" + filler, records.get(i).value());
            }
        }
    }

    @Test
    void producerConsumerAndAdminWorkOverTlsWithATrustStore() {
        // 1.5 MB: fetches carry many TLS records and more than one file-region chunk.
        produceAndConsume("SSL", trusting(), "tls-topic", 150);
        // The records written over TLS read back over plaintext (zero-copy) the same.
        assertEquals(150, Clients.readAll(bootstrap("PLAINTEXT"), new TopicPartition("tls-topic", 0), 0).size());
    }

    @Test
    void aPemKeyStoreServesTls() {
        produceAndConsume("PEM", trusting(), "pem-topic", 20);
    }

    @Test
    void withoutTheTrustStoreTheHandshakeFails() {
        Map<String, Object> ssl = new HashMap<>(trusting());
        ssl.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        ssl.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        ssl.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        try (Admin admin = Clients.admin(bootstrap("SSL"), ssl)) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            assertInstanceOf(SslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    @Test
    void mutualTlsServesAClientWithACertificate() {
        produceAndConsume("MTLS", withClientCertificate(), "mtls-topic", 20);
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate() {
        try (Admin admin = Clients.admin(bootstrap("MTLS"), trusting())) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(admin.describeCluster().nodes()));
            assertInstanceOf(SslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    @Test
    void aTlsHandshakeOnThePlaintextPortClosesOnlyThatConnection() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new TrustEverything()}, null);
        try (Admin before = Clients.admin(bootstrap("PLAINTEXT"))) {
            assertEquals(1, Clients.get(before.describeCluster().nodes()).size());
            try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1",
                    broker.port("PLAINTEXT"))) {
                socket.setSoTimeout(10_000);
                // The broker reads a frame size that is not a request's and closes: a reset or an SSLException.
                assertThrows(java.io.IOException.class, socket::startHandshake);
            }
            // a client connected before carries on over its open connection
            assertEquals(1, Clients.get(before.describeCluster().nodes()).size());
        }
        try (Admin admin = Clients.admin(bootstrap("SSL"), trusting())) {
            assertEquals(1, Clients.get(admin.describeCluster().nodes()).size());
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortClosesOnlyThatConnection() {
        try (Admin before = Clients.admin(bootstrap("SSL"), trusting())) {
            assertEquals(1, Clients.get(before.describeCluster().nodes()).size());
            try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port("SSL"))) {
                raw.sendOnly(new ApiVersionsRequestData(), (short) 3);
                assertTrue(raw.closedByBroker(Duration.ofSeconds(10)));
            }
            // a TLS client connected before carries on
            assertEquals(1, Clients.get(before.describeCluster().nodes()).size());
        }
    }

    @Test
    void kcatProducesAndConsumesOverTls() throws Exception {
        Kcat kcat = Kcat.find(tempDir);
        if (kcat == null) {
            System.out.println("kcat not installed: TlsIT.kcatProducesAndConsumesOverTls skipped");
        }
        Assumptions.assumeTrue(kcat != null, "kcat not installed");
        String topic = "kcat-tls";
        try (Admin admin = Clients.admin(bootstrap("SSL"), trusting())) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
        String[] tls = {"-X", "security.protocol=SSL", "-X", "ssl.ca.location=" + brokerCertPem};
        Kcat.Result produced = kcat.run("k1:one\nk2:two\n", concat(new String[] {"-b", bootstrap("SSL"), "-P", "-t",
                topic, "-K:"}, tls));
        assertEquals(0, produced.exitCode(), produced.toString());
        Kcat.Result consumed = kcat.run("", concat(new String[] {"-b", bootstrap("SSL"), "-C", "-t", topic, "-e",
                "-o", "beginning", "-f", "%k:%s\\n"}, tls));
        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals(List.of("k1:one", "k2:two"), consumed.lines());
    }

    @Test
    void aMissingKeyStoreStopsStartUpWithOneLineNamingTheKey() {
        Map<String, String> withPlaintext = new HashMap<>(Map.of("node.id", "1",
                "log.dirs", tempDir.resolve("never").toString(), "listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0",
                "ssl.keystore.location", tempDir.resolve("missing.p12").toString()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Broker(BrokerConfig.fromProperties(withPlaintext)));
        assertEquals("Cannot use ssl.keystore.location (" + tempDir.resolve("missing.p12") + ") for listener SSL: "
                + "no such file", e.getMessage());
        withPlaintext.put("listener.name.ssl.ssl.keystore.location", "");
        withPlaintext.remove("ssl.keystore.location");
        e = assertThrows(ConfigException.class, () -> new Broker(BrokerConfig.fromProperties(withPlaintext)));
        assertEquals("Listener SSL uses SSL but listener.name.ssl.ssl.keystore.location is not set", e.getMessage());
        withPlaintext.put("listener.name.ssl.ssl.keystore.location", brokerKeys.toString());
        withPlaintext.put("ssl.keystore.type", "PKCS12");
        withPlaintext.put("ssl.keystore.password", "wrong");
        e = assertThrows(ConfigException.class, () -> new Broker(BrokerConfig.fromProperties(withPlaintext)));
        assertTrue(e.getMessage().startsWith("Cannot open listener.name.ssl.ssl.keystore.location (" + brokerKeys
                + ") with ssl.keystore.password: "), e.getMessage());
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** For the test that speaks TLS to the plaintext port: the broker never gets to show a certificate. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}

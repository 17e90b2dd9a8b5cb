package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.tools.ConfigCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key store altered at runtime, as Kafka does it: {@code listener.name.ssl.ssl.keystore.location}
 * set per broker with IncrementalAlterConfigs is checked (it must load; the certificate keeps its
 * name unless {@code ssl.allow.dn.changes}, here allowed on the SSL listener only), new connections
 * get the new certificate (another subject) while an open one carries on, and a restart keeps it
 * (a dynamic broker config in the metadata). One node, restarted once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyStoreRotationIT {
    private static final String DN = "CN=localhost,O=millrace-rotation";
    private static final String RENAMED_DN = "CN=elsewhere,O=millrace-rotation";
    private static final String KEY_STORE = "listener.name.ssl.ssl.keystore.location";
    private static final String KEY_STORE_PASSWORD = "listener.name.ssl.ssl.keystore.password";
    private static final String INTERNAL_KEY_STORE = "listener.name.internal.ssl.keystore.location";
    private static final String INTERNAL_TRUST_STORE = "listener.name.internal.ssl.truststore.location";

    @TempDir
    Path tempDir;

    @Test
    void anAlteredKeyStoreServesNewConnectionsAndSurvivesARestart() throws Exception {
        TestCertificates certs = TestCertificates.in(tempDir.resolve("certs"));
        // three keytool JVMs at once: on a busy machine each takes seconds
        CompletableFuture<Path> firstMade = keyStoreAsync(certs, "first", DN);
        CompletableFuture<Path> secondMade = keyStoreAsync(certs, "second", DN);
        CompletableFuture<Path> renamedMade = keyStoreAsync(certs, "renamed", RENAMED_DN);
        Path first = firstMade.get();
        Path second = secondMade.get();
        Path renamed = renamedMade.get();
        Path trustFirst = certs.trustStore("trust-first", first);
        Path trustRenamed = certs.trustStore("trust-renamed", renamed);
        Path trustBoth = certs.trustStore("trust-both", first, second);
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,INTERNAL://127.0.0.1:0");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,INTERNAL:SSL");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("ssl.keystore.type", "PKCS12");
        props.put(KEY_STORE, first.toString());
        props.put(INTERNAL_KEY_STORE, first.toString());
        props.put("ssl.keystore.password", TestCertificates.PASSWORD);
        props.put("listener.name.ssl.ssl.allow.dn.changes", "true");
        props.put("listener.name.internal.ssl.client.auth", "required");
        props.put("ssl.truststore.type", "PKCS12");
        props.put(INTERNAL_TRUST_STORE, trustFirst.toString());
        props.put("ssl.truststore.password", TestCertificates.PASSWORD);
        InProcessBroker broker = InProcessBroker.start(tempDir.resolve("data"), props);
        try {
            rotate(broker, trustFirst, trustRenamed, renamed);
            rotateBetweenBrokers(broker, second, renamed, trustBoth);
        } finally {
            broker.close();
        }
        InProcessBroker restarted = InProcessBroker.start(tempDir.resolve("data"), props);
        try {
            Await.until("the altered key store used after a restart", Duration.ofSeconds(20),
                    () -> accepted(restarted, trustRenamed));
            assertRefused(restarted, trustFirst);
        } finally {
            restarted.close();
        }
    }

    private void rotate(InProcessBroker broker, Path trustFirst, Path trustRenamed, Path renamed) throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrap());
             SSLSocket open = connect(broker.port("SSL"), trustFirst)) {
            assertEquals(1, apiVersions(open, 1));
            assertRefused(broker, trustRenamed);
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");

            String missing = tempDir.resolve("missing.p12").toString();
            assertInvalidRequest(admin, node, KEY_STORE, missing, "missing.p12");
            assertInvalidRequest(admin, node, "ssl.keystore.location", renamed.toString(), "per-listener");
            assertInvalidRequest(admin, new ConfigResource(ConfigResource.Type.BROKER, ""), KEY_STORE,
                    renamed.toString(), "broker id must be specified");
            assertTrue(accepted(broker, trustFirst), "a refused key store leaves the old one in use");

            Clients.get(admin.incrementalAlterConfigs(Map.of(node, List.of(
                    new AlterConfigOp(new ConfigEntry(KEY_STORE, renamed.toString()), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry(KEY_STORE_PASSWORD, TestCertificates.PASSWORD),
                            AlterConfigOp.OpType.SET)))).all());
            Map<String, ConfigEntry> described = Clients.get(admin.describeConfigs(List.of(node)).all()).get(node)
                    .entries().stream().collect(java.util.stream.Collectors.toMap(ConfigEntry::name, e -> e));
            assertEquals(renamed.toString(), described.get(KEY_STORE).value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, described.get(KEY_STORE).source());
            assertTrue(described.get(KEY_STORE_PASSWORD).isSensitive());
            assertEquals(null, described.get(KEY_STORE_PASSWORD).value(), "a password is never shown");
            Await.until("the new certificate served", Duration.ofSeconds(20), () -> accepted(broker, trustRenamed));
            try (SSLSocket fresh = connect(broker.port("SSL"), trustRenamed)) {
                assertEquals(new X500Principal(RENAMED_DN), ((X509Certificate) fresh.getSession()
                        .getPeerCertificates()[0]).getSubjectX500Principal(), "a new connection sees the new subject");
            }
            assertRefused(broker, trustFirst);
            assertEquals(2, apiVersions(open, 2), "the connection opened before carries on");
        }
    }

    /**
     * On the inter-broker listener the other brokers hold the old stores, so a new certificate the
     * old trust store does not trust is refused; trusting both first, then switching, works.
     */
    private static void rotateBetweenBrokers(InProcessBroker broker, Path second, Path renamed, Path trustBoth)
            throws Exception {
        ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            assertInvalidRequest(admin, node, INTERNAL_KEY_STORE, renamed.toString(), "DistinguishedName does not match");
            assertInvalidRequest(admin, node, INTERNAL_KEY_STORE, second.toString(), "handshake");
            // as an operator does it: kafka-configs.sh --entity-type brokers --entity-name 1 --alter --add-config
            KafkaToolRun added = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--alter",
                    "--entity-type", "brokers", "--entity-name", "1",
                    "--add-config", INTERNAL_TRUST_STORE + "=" + trustBoth);
            assertEquals(0, added.exitCode(), added.toString());
            KafkaToolRun described = KafkaToolRun.run(ConfigCommand.class, broker.bootstrap(), "--describe",
                    "--entity-type", "brokers", "--entity-name", "1");
            assertTrue(described.stdout().contains(INTERNAL_TRUST_STORE + "=" + trustBoth), described.toString());
            alter(admin, node, INTERNAL_KEY_STORE, second.toString());
        }
    }

    private static CompletableFuture<Path> keyStoreAsync(TestCertificates certs, String name, String dname) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return certs.keyStore(name, dname);
            } catch (Exception e) {
                throw new IllegalStateException("keytool failed for " + name, e);
            }
        }, task -> new Thread(task, "keytool-" + name).start()); // not the common pool: one thread on 2 cores
    }

    private static Map<String, Object> trusting(Path trustStore) {
        Map<String, Object> ssl = new HashMap<>();
        ssl.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        ssl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        ssl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
        ssl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        return ssl;
    }

    private static boolean accepted(InProcessBroker broker, Path trustStore) {
        try (Admin client = Clients.admin("127.0.0.1:" + broker.port("SSL"), trusting(trustStore))) {
            return Clients.get(client.describeCluster().nodes()).size() == 1;
        } catch (Clients.ClientCallFailed e) {
            return false;
        }
    }

    private static void assertRefused(InProcessBroker broker, Path trustStore) {
        try (Admin client = Clients.admin("127.0.0.1:" + broker.port("SSL"), trusting(trustStore))) {
            Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                    () -> Clients.get(client.describeCluster().nodes()));
            assertInstanceOf(SslAuthenticationException.class, failed.getCause(), failed.toString());
        }
    }

    private static void alter(Admin admin, ConfigResource resource, String key, String value) {
        Clients.get(admin.incrementalAlterConfigs(Map.of(resource,
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all());
    }

    private static void assertInvalidRequest(Admin admin, ConfigResource resource, String key, String value,
                                             String because) {
        Clients.ClientCallFailed failed = assertThrows(Clients.ClientCallFailed.class,
                () -> alter(admin, resource, key, value));
        assertInstanceOf(InvalidRequestException.class, failed.getCause(), failed.toString());
        assertTrue(failed.getCause().getMessage().contains(because), failed.getCause().getMessage());
    }

    /** A TLS socket to {@code port} whose handshake is done, trusting only {@code trustStore}. */
    private static SSLSocket connect(int port, Path trustStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            trust.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    /** Sends ApiVersions v0 with {@code correlationId} on {@code socket}; returns the answer's correlation id. */
    private static int apiVersions(SSLSocket socket, int correlationId) throws Exception {
        byte[] clientId = "rotation".getBytes(StandardCharsets.US_ASCII);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(2 + 2 + 4 + 2 + clientId.length);
        out.writeShort(18); // ApiVersions
        out.writeShort(0);
        out.writeInt(correlationId);
        out.writeShort(clientId.length);
        out.write(clientId);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        assertEquals(0, (response[4] << 8) | (response[5] & 0xff), "ApiVersions error code");
        return ByteBuffer.wrap(response).getInt();
    }
}

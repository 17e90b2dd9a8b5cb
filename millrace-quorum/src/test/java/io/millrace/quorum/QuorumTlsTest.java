package io.millrace.quorum;

import static io.millrace.quorum.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.millrace.metadata.records.TopicRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata quorum over mutual TLS (Ratis' gRPC TLS): three voters with a certificate their
 * trust store trusts elect a leader and replicate; a voter restarted without TLS cannot rejoin.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QuorumTlsTest {
    private static final String PASSWORD = "test-secret";

    @TempDir
    Path dir;

    @Test
    void threeVotersReplicateOverMutualTlsAndAPlaintextVoterCannotRejoin() throws Exception {
        QuorumTls tls = tls(dir.resolve("keys"));
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.tls = id -> tls;
            cluster.startAll();
            appendTopic(cluster, "over-tls");
            await(Duration.ofSeconds(30), "every voter applied the first topic", () -> cluster.nodes.values().stream()
                    .allMatch(node -> node.publisher().image().topic("over-tls").isPresent()));

            cluster.stop(3);
            cluster.tls = id -> id == 3 ? null : tls;
            TestCluster.Node plaintext = cluster.start(3);
            TestCluster.Node leader = appendTopic(cluster, "after-plaintext-restart");
            assertNotEquals(3, leader.id());
            // the leader keeps trying to reach voter 3 every 250 ms at most; give it a few seconds
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertFalse(plaintext.publisher().image().topic("after-plaintext-restart").isPresent(),
                        "a plaintext voter received the quorum's records");
                assertFalse(plaintext.quorum().isActive(), "a plaintext voter became leader");
                Thread.sleep(100);
            }
        }
    }

    private static TestCluster.Node appendTopic(TestCluster cluster, String name) {
        return cluster.appendAtLeader(List.of(new TopicRecord(name, Uuid.randomUuid())),
                node -> node.publisher().image().topic(name).isPresent());
    }

    /** A self-signed certificate for 127.0.0.1 (made by the JDK's keytool), trusted by itself. */
    private static QuorumTls tls(Path keys) throws Exception {
        Files.createDirectories(keys);
        Path store = keys.resolve("voter.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "voter", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost,O=millrace-test",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("voter", keyStore.getCertificate("voter"));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keyStore, PASSWORD.toCharArray());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trustStore);
        return new QuorumTls((X509KeyManager) keyManagers.getKeyManagers()[0],
                (X509TrustManager) trustManagers.getTrustManagers()[0]);
    }
}

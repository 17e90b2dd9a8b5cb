package io.millrace.bench.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Key material for the TLS workload, made for the run in its work directory: a self-signed
 * broker key pair (keytool of the running JDK, EC P-256, valid for 127.0.0.1) and a trust store
 * holding its certificate. Both brokers get the same key store and the same TLS settings
 * (Kafka's defaults: TLSv1.2 and TLSv1.3 enabled, the JVM's cipher suites).
 */
public record BenchTls(Path keyStore, Path trustStore, int port) {
    private static final String PASSWORD = "bench-secret";

    /** Keys under {@code dir}, for a broker whose SSL listener will be {@code port}. */
    public static BenchTls generate(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("broker.p12");
        if (!Files.exists(keyStore)) {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", keys.getCertificate("broker"));
        Path trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return new BenchTls(keyStore, trustStore, 0);
    }

    /** The same keys for a broker whose SSL listener is {@code sslPort}. */
    public BenchTls onPort(int sslPort) {
        return new BenchTls(keyStore, trustStore, sslPort);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The broker's key settings (the SSL listener itself is the launcher's). */
    public Map<String, String> brokerSettings() {
        return Map.of("ssl.keystore.type", "PKCS12", "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.password", PASSWORD, "ssl.key.password", PASSWORD);
    }

    /** What a kafka-clients client adds to speak TLS to the broker. */
    public Map<String, Object> clientSettings() {
        return Map.of("security.protocol", "SSL", "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", trustStore.toString(), "ssl.truststore.password", PASSWORD);
    }
}

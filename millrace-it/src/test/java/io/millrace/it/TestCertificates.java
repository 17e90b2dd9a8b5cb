package io.millrace.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key material for TLS tests, made fresh in a temporary directory (nothing secret is checked in):
 * self-signed key pairs made by the running JDK's keytool, and trust stores and PEM files derived
 * from them with java.security. Every store has the password {@link #PASSWORD}.
 */
final class TestCertificates {
    static final String PASSWORD = "test-secret";
    private static final String ALIAS = "key";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    static TestCertificates in(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new TestCertificates(dir);
    }

    /**
     * A PKCS12 key store {@code name}.p12 with a self-signed certificate for {@code dname},
     * valid for localhost and 127.0.0.1.
     */
    Path keyStore(String name, String dname) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = List.of(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", dname, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        return store;
    }

    /** A PKCS12 trust store {@code name}.p12 trusting the certificates of {@code keyStores}. */
    Path trustStore(String name, Path... keyStores) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < keyStores.length; i++) {
            trust.setCertificateEntry("trusted-" + i, load(keyStores[i]).getCertificate(ALIAS));
        }
        Path file = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** The certificate of {@code keyStore} in PEM form, in {@code name}.pem. */
    Path certificatePem(String name, Path keyStore) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(name + ".pem");
        Files.writeString(file, pem("CERTIFICATE", load(keyStore).getCertificate(ALIAS).getEncoded()));
        return file;
    }

    /** The private key (unencrypted PKCS#8) and then the certificate of {@code keyStore} in PEM form. */
    Path keyAndCertificatePem(String name, Path keyStore) throws IOException, GeneralSecurityException {
        KeyStore store = load(keyStore);
        Key key = store.getKey(ALIAS, PASSWORD.toCharArray());
        List<String> parts = new ArrayList<>();
        parts.add(pem("PRIVATE KEY", key.getEncoded()));
        for (Certificate certificate : store.getCertificateChain(ALIAS)) {
            parts.add(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Path file = dir.resolve(name + ".pem");
        Files.writeString(file, String.join("", parts));
        return file;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}

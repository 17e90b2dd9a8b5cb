package io.millrace.server.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Key and trust stores of type PEM (Kafka's KIP-651): a PKCS#8 private key (plain, or encrypted
 * with {@code ssl.key.password}) with its certificate chain, or trusted certificates, turned into
 * an in-memory PKCS12 store. Stateless.
 */
final class PemStores {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (?:ENCRYPTED )?PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "DSA", "Ed25519", "Ed448");
    static final String KEY_ALIAS = "key";

    private PemStores() {
    }

    /** A store holding {@code keyPem}'s key under {@code password} with the chain in {@code chainPem}. */
    static KeyStore keyStore(String keyPem, String chainPem, char[] password) throws GeneralSecurityException, IOException {
        PrivateKey key = privateKey(keyPem, password);
        List<? extends Certificate> chain = certificates(chainPem);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate (-----BEGIN CERTIFICATE-----) found for the key");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(KEY_ALIAS, key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    /** A store of the certificates in {@code pem}. */
    static KeyStore trustStore(String pem) throws GeneralSecurityException, IOException {
        List<? extends Certificate> certificates = certificates(pem);
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate (-----BEGIN CERTIFICATE-----) found");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        return store;
    }

    static List<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
        if (begin < 0) {
            return List.of();
        }
        return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(pem.substring(begin).getBytes(StandardCharsets.US_ASCII))));
    }

    private static PrivateKey privateKey(String pem, char[] password) throws GeneralSecurityException, IOException {
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException("no PKCS#8 private key (-----BEGIN PRIVATE KEY----- or "
                    + "-----BEGIN ENCRYPTED PRIVATE KEY-----) found");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        if (m.group(1) != null) {
            if (password == null || password.length == 0) {
                throw new GeneralSecurityException("the private key is encrypted and ssl.key.password is not set");
            }
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            Key secret = SecretKeyFactory.getInstance(info.getAlgName()).generateSecret(new PBEKeySpec(password));
            spec = info.getKeySpec(secret);
        } else {
            spec = new PKCS8EncodedKeySpec(der);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the private key is not RSA, EC, DSA or EdDSA");
    }
}

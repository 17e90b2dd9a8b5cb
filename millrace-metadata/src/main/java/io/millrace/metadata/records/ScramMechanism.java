package io.millrace.metadata.records;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM mechanisms (RFC 5802, RFC 7677) and the key derivations both the controller (storing
 * a credential) and the SASL server (checking a proof) use. The type ids are Kafka's
 * (AlterUserScramCredentials' mechanism byte) and are stored on disk: never renumber. Thread-safe.
 */
public enum ScramMechanism {
    SCRAM_SHA_256((byte) 1, "SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
    SCRAM_SHA_512((byte) 2, "SCRAM-SHA-512", "SHA-512", "HmacSHA512");

    /** Fewest and most PBKDF2 iterations a credential may use, as Kafka accepts them. */
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    private final byte type;
    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;

    ScramMechanism(byte type, String mechanismName, String hashAlgorithm, String macAlgorithm) {
        this.type = type;
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
    }

    public byte type() {
        return type;
    }

    /** The SASL mechanism name, e.g. SCRAM-SHA-256. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The JDK's PBKDF2 algorithm for Hi(): PBKDF2 with this mechanism's HMAC. */
    public String pbkdf2Algorithm() {
        return "PBKDF2With" + macAlgorithm;
    }

    public static Optional<ScramMechanism> fromType(byte type) {
        return Arrays.stream(values()).filter(m -> m.type == type).findFirst();
    }

    public static Optional<ScramMechanism> fromMechanismName(String name) {
        return Arrays.stream(values()).filter(m -> m.mechanismName.equals(name)).findFirst();
    }

    private int keyBits() {
        return this == SCRAM_SHA_256 ? 256 : 512;
    }

    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is not available", e);
        }
    }

    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(hashAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hashAlgorithm + " is not available", e);
        }
    }

    /** SaltedPassword = Hi(password, salt, iterations), Hi being PBKDF2 with this mechanism's HMAC. */
    public byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, keyBits());
            return SecretKeyFactory.getInstance(pbkdf2Algorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pbkdf2Algorithm() + " is not available", e);
        }
    }

    /** ClientKey = HMAC(SaltedPassword, "Client Key"). */
    public byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
    }

    /** StoredKey = H(ClientKey). */
    public byte[] storedKey(byte[] clientKey) {
        return hash(clientKey);
    }

    /** ServerKey = HMAC(SaltedPassword, "Server Key"). */
    public byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
    }
}

package io.millrace.cli;

import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code --add-scram} value of {@code millrace storage format}, in kafka-storage.sh's form:
 * {@code MECHANISM=[name=N,password=P]} or {@code MECHANISM=[name=N,salt=B64,saltedpassword=B64]},
 * with an optional {@code iterations=I} (default 4096, Kafka's) and values optionally in double
 * quotes; salt and salted password are base64, a missing salt is 32 random bytes. Turned into the
 * credential record Kafka's format would write: salt, StoredKey, ServerKey, never the password.
 * Stateless.
 */
final class ScramArgument {
    static final int DEFAULT_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramArgument() {
    }

    /** The credential {@code argument} describes; a {@link UsageException} says what is wrong with it. */
    static ScramCredentialRecord parse(String argument) throws UsageException {
        String text = argument.trim();
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new UsageException("--add-scram '" + argument + "': expected MECHANISM=[name=...,password=...]");
        }
        String mechanismName = text.substring(0, equals);
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(mechanismName).orElseThrow(() -> new UsageException(
                "--add-scram: mechanism " + mechanismName + " is not supported (SCRAM-SHA-256 or SCRAM-SHA-512)"));
        String body = text.substring(equals + 1);
        if (!body.startsWith("[") || !body.endsWith("]")) {
            throw new UsageException("--add-scram " + mechanismName + ": the settings must be in brackets, e.g. "
                    + mechanismName + "=[name=alice,password=alice-secret]");
        }
        Map<String, String> settings = settings(mechanismName, body.substring(1, body.length() - 1));
        String name = settings.remove("name");
        if (name == null || name.isEmpty()) {
            throw new UsageException("--add-scram " + mechanismName + ": 'name' is required");
        }
        byte[] salt = base64(settings.remove("salt"), "salt");
        int iterations = iterations(settings.remove("iterations"), mechanism);
        String password = settings.remove("password");
        byte[] saltedPassword = base64(settings.remove("saltedpassword"), "saltedpassword");
        if (!settings.isEmpty()) {
            throw new UsageException("--add-scram " + mechanismName + ": unknown settings " + settings.keySet()
                    + " (name, password, salt, saltedpassword, iterations)");
        }
        if (password == null && saltedPassword == null) {
            throw new UsageException("--add-scram " + mechanismName + ": give 'password' or 'saltedpassword'");
        }
        if (password == null && salt == null) {
            throw new UsageException("--add-scram " + mechanismName + ": 'saltedpassword' needs its 'salt'");
        }
        if (salt == null) {
            salt = new byte[32];
            RANDOM.nextBytes(salt);
        }
        if (password != null) {
            saltedPassword = mechanism.saltedPassword(password, salt, iterations);
        }
        byte[] storedKey = mechanism.storedKey(mechanism.clientKey(saltedPassword));
        return new ScramCredentialRecord(name, mechanism, salt, storedKey, mechanism.serverKey(saltedPassword), iterations);
    }

    private static Map<String, String> settings(String mechanismName, String body) throws UsageException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String part : body.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new UsageException("--add-scram " + mechanismName + ": '" + part + "' is not key=value");
            }
            String value = part.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            settings.put(part.substring(0, eq).trim(), value);
        }
        return settings;
    }

    private static byte[] base64(String value, String what) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--add-scram: " + what + " is not base64: " + value);
        }
    }

    private static int iterations(String value, ScramMechanism mechanism) throws UsageException {
        if (value == null) {
            return DEFAULT_ITERATIONS;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--add-scram: iterations is not a number: " + value);
        }
        if (iterations < ScramMechanism.MIN_ITERATIONS || iterations > ScramMechanism.MAX_ITERATIONS) {
            throw new UsageException("--add-scram " + mechanism.mechanismName() + ": iterations must be between "
                    + ScramMechanism.MIN_ITERATIONS + " and " + ScramMechanism.MAX_ITERATIONS + ", not " + iterations);
        }
        return iterations;
    }
}

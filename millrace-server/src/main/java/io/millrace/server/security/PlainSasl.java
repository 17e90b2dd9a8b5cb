package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.server.network.SaslExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.security.sasl.SaslException;

/**
 * SASL/PLAIN (RFC 4616) on one listener, with Kafka's configuration: the users come from the
 * PlainLoginModule's {@code user_NAME="PASSWORD"} options in
 * {@code listener.name.L.plain.sasl.jaas.config}, else {@code sasl.jaas.config}. Immutable and
 * thread-safe.
 */
final class PlainSasl {
    static final String PLAIN = "PLAIN";
    private static final String JAAS_CONFIG = "sasl.jaas.config";
    static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Map<String, byte[]> passwords;

    private PlainSasl(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * The PLAIN users of {@code listenerName}.
     *
     * @throws ConfigException naming the key when the listener has no PlainLoginModule configuration with users
     */
    static PlainSasl of(BrokerConfig config, String listenerName) {
        String prefix = BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
        String jaasKey = prefix + "plain." + JAAS_CONFIG;
        String jaas = config.originals().get(jaasKey);
        if (jaas == null) {
            jaasKey = JAAS_CONFIG;
            jaas = config.getString(JAAS_CONFIG);
        }
        if (jaas == null || jaas.isBlank()) {
            throw new ConfigException("Listener " + listenerName + " uses SASL/PLAIN but neither " + prefix + "plain."
                    + JAAS_CONFIG + " nor " + JAAS_CONFIG + " is set");
        }
        return new PlainSasl(users(jaasKey, jaas));
    }

    /** The user_NAME="PASSWORD" options of a PlainLoginModule JAAS configuration. */
    static Map<String, byte[]> users(String key, String jaas) {
        JaasOptions parsed = JaasOptions.parse(key, jaas);
        if (!parsed.loginModule().equals(PLAIN_LOGIN_MODULE)) {
            throw new ConfigException(key + " must configure " + PLAIN_LOGIN_MODULE + " (value hidden)");
        }
        Map<String, byte[]> users = new LinkedHashMap<>();
        parsed.options().forEach((name, value) -> {
            if (name.startsWith("user_") && name.length() > "user_".length()) {
                users.put(name.substring("user_".length()), value.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (users.isEmpty()) {
            throw new ConfigException(key + " has no user_NAME=\"PASSWORD\" option (value hidden)");
        }
        return users;
    }

    /** A one-round exchange: the client's single token is checked, nothing is sent back. */
    SaslExchange start() {
        return new SaslExchange() {
            private String principal;

            @Override
            public byte[] evaluate(byte[] token) throws SaslException {
                if (principal != null) {
                    throw new SaslException("SASL/PLAIN takes a single token");
                }
                principal = authenticate(token);
                return new byte[0];
            }

            @Override
            public boolean complete() {
                return principal != null;
            }

            @Override
            public String principal() {
                return principal;
            }
        };
    }

    /** The token is [authzid] NUL authcid NUL password; authzid, when given, must be authcid. */
    String authenticate(byte[] token) throws SaslException {
        String text = new String(token, StandardCharsets.UTF_8);
        String[] parts = text.split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new SaslException("Invalid SASL/PLAIN token: expected authorization id, user name and password"
                    + " separated by NUL");
        }
        String user = parts[1];
        if (!parts[0].isEmpty() && !parts[0].equals(user)) {
            throw new SaslException("Authentication failed: the authorization id must be the user name");
        }
        byte[] expected = passwords.get(user);
        byte[] given = parts[2].getBytes(StandardCharsets.UTF_8);
        if (expected == null || !MessageDigest.isEqual(expected, given)) {
            throw new SaslException("Authentication failed: Invalid username or password");
        }
        return "User:" + user;
    }
}

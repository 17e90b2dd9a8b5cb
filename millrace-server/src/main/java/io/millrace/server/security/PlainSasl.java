package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.Endpoint;
import io.millrace.server.network.ListenerSasl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.sasl.SaslException;

/**
 * SASL/PLAIN (RFC 4616) on one listener, with Kafka's configuration: {@code sasl.enabled.mechanisms}
 * (per listener as {@code listener.name.L.sasl.enabled.mechanisms}) must be PLAIN, and the users
 * come from the PlainLoginModule's {@code user_NAME="PASSWORD"} options in
 * {@code listener.name.L.plain.sasl.jaas.config}, else {@code sasl.jaas.config}. Immutable and
 * thread-safe.
 */
public final class PlainSasl implements ListenerSasl {
    static final String PLAIN = "PLAIN";
    private static final String ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    private static final String JAAS_CONFIG = "sasl.jaas.config";
    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final Pattern OPTION = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*=\\s*(\"((?:\\\\.|[^\"\\\\])*)\"|[^\\s;\"]+)");

    private final Map<String, byte[]> passwords;

    private PlainSasl(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * The SASL of each SASL_PLAINTEXT and SASL_SSL listener of {@code listeners}, by name.
     *
     * @throws ConfigException naming the key when a listener enables a mechanism other than PLAIN
     *                         or has no PlainLoginModule configuration with users
     */
    public static Map<String, ListenerSasl> forListeners(BrokerConfig config, List<Endpoint> listeners) {
        Map<String, ListenerSasl> sasl = new LinkedHashMap<>();
        for (Endpoint listener : listeners) {
            String protocol = config.securityProtocol(listener.listenerName());
            if (protocol.startsWith("SASL_")) {
                sasl.put(listener.listenerName(), of(config, listener.listenerName()));
            }
        }
        return Map.copyOf(sasl);
    }

    static PlainSasl of(BrokerConfig config, String listenerName) {
        String prefix = BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
        String mechanismsKey = config.originals().containsKey(prefix + ENABLED_MECHANISMS)
                ? prefix + ENABLED_MECHANISMS : ENABLED_MECHANISMS;
        Object mechanismsValue = mechanismsKey.equals(ENABLED_MECHANISMS) ? config.get(ENABLED_MECHANISMS)
                : BrokerConfigs.DEF.key(ENABLED_MECHANISMS).parse(config.originals().get(mechanismsKey));
        @SuppressWarnings("unchecked")
        List<String> mechanisms = ((List<String>) mechanismsValue).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        if (!mechanisms.equals(List.of(PLAIN))) {
            throw new ConfigException(mechanismsKey + " is " + mechanisms + " for listener " + listenerName
                    + ": Millrace supports only PLAIN yet");
        }
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
        String text = jaas.trim();
        if (!text.startsWith(PLAIN_LOGIN_MODULE)) {
            throw new ConfigException(key + " must configure " + PLAIN_LOGIN_MODULE + " (value hidden)");
        }
        Map<String, byte[]> users = new LinkedHashMap<>();
        Matcher m = OPTION.matcher(text.substring(PLAIN_LOGIN_MODULE.length()));
        while (m.find()) {
            String name = m.group(1);
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            if (name.startsWith("user_") && name.length() > "user_".length()) {
                users.put(name.substring("user_".length()), value.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (users.isEmpty()) {
            throw new ConfigException(key + " has no user_NAME=\"PASSWORD\" option (value hidden)");
        }
        return users;
    }

    @Override
    public List<String> enabledMechanisms() {
        return List.of(PLAIN);
    }

    /** The token is [authzid] NUL authcid NUL password; authzid, when given, must be authcid. */
    @Override
    public String authenticate(String mechanism, byte[] token) throws SaslException {
        if (!mechanism.equals(PLAIN)) {
            throw new SaslException("Unsupported SASL mechanism " + mechanism);
        }
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

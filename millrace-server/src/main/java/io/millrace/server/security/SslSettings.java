package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.ConfigKey;
import io.millrace.common.config.ListenerSslKeys;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code ssl.*} settings of one listener as Kafka resolves them: each key from
 * {@code listener.name.LISTENER.ssl.KEY} (listener name in lower case) when given, else from
 * {@code ssl.KEY}; a per-listener key store or trust store altered at runtime (a per-broker
 * dynamic config) wins over both. Immutable and thread-safe.
 */
public final class SslSettings {
    public static final String PROTOCOL = "ssl.protocol";
    public static final String ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String CIPHER_SUITES = "ssl.cipher.suites";
    public static final String CLIENT_AUTH = "ssl.client.auth";
    public static final String ENDPOINT_IDENTIFICATION = "ssl.endpoint.identification.algorithm";
    public static final String KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String KEYSTORE_KEY = "ssl.keystore.key";
    public static final String KEYSTORE_CHAIN = "ssl.keystore.certificate.chain";
    public static final String KEY_PASSWORD = "ssl.key.password";
    public static final String TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String TRUSTSTORE_CERTIFICATES = "ssl.truststore.certificates";
    public static final String KEYMANAGER_ALGORITHM = "ssl.keymanager.algorithm";
    public static final String TRUSTMANAGER_ALGORITHM = "ssl.trustmanager.algorithm";
    public static final String PRINCIPAL_MAPPING_RULES = "ssl.principal.mapping.rules";
    public static final String ALLOW_DN_CHANGES = "ssl.allow.dn.changes";
    public static final String ALLOW_SAN_CHANGES = "ssl.allow.san.changes";

    private final BrokerConfig config;
    private final String listenerName;
    private final String prefix;

    private SslSettings(BrokerConfig config, String listenerName) {
        this.config = config;
        this.listenerName = listenerName;
        this.prefix = BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
    }

    public static SslSettings of(BrokerConfig config, String listenerName) {
        return new SslSettings(config, listenerName);
    }

    /**
     * The key store and trust store settings in force ({@link ListenerSslKeys#RECONFIGURABLE}),
     * by key: two listeners' stores are loaded alike when these are equal.
     */
    public Map<String, String> storeSettings() {
        Map<String, String> stores = new TreeMap<>();
        for (String key : ListenerSslKeys.RECONFIGURABLE) {
            stores.put(key, string(key));
        }
        return stores;
    }

    public String listenerName() {
        return listenerName;
    }

    /** The key a value comes from: the listener's prefixed form when given, else {@code key}; for messages. */
    public String source(String key) {
        return config.listenerOverride(prefix + key) != null ? prefix + key : key;
    }

    /** The typed value of {@code key} for this listener; null when unset without a default. */
    public Object get(String key) {
        String override = config.listenerOverride(prefix + key);
        if (override == null) {
            return config.get(key);
        }
        ConfigKey definition = BrokerConfigs.DEF.key(key);
        if (definition == null) {
            throw new IllegalArgumentException("Not a broker key: " + key);
        }
        try {
            return definition.parse(override);
        } catch (ConfigException e) {
            throw new ConfigException(prefix + key, override, e.getMessage());
        }
    }

    public String string(String key) {
        Object value = get(key);
        return value == null ? null : value.toString();
    }

    /** A string value, null when unset or blank. */
    public String nonBlank(String key) {
        String value = string(key);
        return value == null || value.isBlank() ? null : value;
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object value = get(key);
        return value == null ? List.of() : (List<String>) value;
    }
}

package io.millrace.common.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS keys that may change while the broker runs, as in Kafka: the key store and trust store
 * settings ({@code ssl.keystore.*}, {@code ssl.key.password}, {@code ssl.truststore.*}), only per
 * listener ({@code listener.name.LISTENER.ssl.keystore.location}) and only per broker, never as
 * a cluster-wide default. Stateless and thread-safe.
 */
public final class ListenerSslKeys {

    /** Kafka's SslConfigs.RECONFIGURABLE_CONFIGS. */
    public static final Set<String> RECONFIGURABLE = Set.of(
            "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
            "ssl.keystore.key", "ssl.keystore.certificate.chain",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
            "ssl.truststore.certificates");

    private ListenerSslKeys() {
    }

    /** A listener-prefixed reconfigurable key: its listener (upper case) and the key it overrides. */
    public record ListenerKey(String listenerName, String baseKey) {
    }

    /**
     * {@code listener.name.LISTENER.ssl.KEY} where {@code ssl.KEY} is {@link #RECONFIGURABLE};
     * empty for any other name.
     */
    public static Optional<ListenerKey> parse(String name) {
        if (!name.startsWith(BrokerConfigs.LISTENER_OVERRIDE_PREFIX)) {
            return Optional.empty();
        }
        String rest = name.substring(BrokerConfigs.LISTENER_OVERRIDE_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || !RECONFIGURABLE.contains(rest.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(new ListenerKey(rest.substring(0, dot).toUpperCase(Locale.ROOT), rest.substring(dot + 1)));
    }

    /** The listener-prefixed form of {@code key} for {@code listenerName}. */
    public static String prefixed(String listenerName, String key) {
        return BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listenerName.toLowerCase(Locale.ROOT) + "." + key;
    }
}

package io.millrace.server.security;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.BrokerConfigs;
import io.millrace.common.config.ConfigException;
import io.millrace.common.config.Endpoint;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.server.network.ListenerSasl;
import io.millrace.server.network.SaslExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SASL mechanisms of one listener, with Kafka's configuration: {@code sasl.enabled.mechanisms}
 * (per listener as {@code listener.name.L.sasl.enabled.mechanisms}) lists any of PLAIN (users from
 * the JAAS configuration, {@link PlainSasl}), SCRAM-SHA-256 and SCRAM-SHA-512 (credentials from
 * the current metadata image, {@link ScramExchange}). Immutable and thread-safe.
 */
public final class SaslMechanisms implements ListenerSasl {
    private static final String ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    private static final List<String> SUPPORTED = List.of(PlainSasl.PLAIN,
            ScramMechanism.SCRAM_SHA_256.mechanismName(), ScramMechanism.SCRAM_SHA_512.mechanismName());

    private final List<String> enabled;
    private final PlainSasl plain;
    private final Supplier<MetadataImage> metadata;

    private SaslMechanisms(List<String> enabled, PlainSasl plain, Supplier<MetadataImage> metadata) {
        this.enabled = List.copyOf(enabled);
        this.plain = plain;
        this.metadata = metadata;
    }

    /**
     * The SASL of each SASL_PLAINTEXT and SASL_SSL listener of {@code listeners}, by name.
     *
     * @param metadata the current metadata image, where SCRAM credentials are looked up
     * @throws ConfigException naming the key when a listener enables no mechanism or one Millrace does
     *                         not serve, or enables PLAIN without a PlainLoginModule configuration with users
     */
    public static Map<String, ListenerSasl> forListeners(BrokerConfig config, List<Endpoint> listeners,
                                                         Supplier<MetadataImage> metadata) {
        Map<String, ListenerSasl> sasl = new LinkedHashMap<>();
        for (Endpoint listener : listeners) {
            String protocol = config.securityProtocol(listener.listenerName());
            if (protocol.startsWith("SASL_")) {
                sasl.put(listener.listenerName(), of(config, listener.listenerName(), metadata));
            }
        }
        return Map.copyOf(sasl);
    }

    static SaslMechanisms of(BrokerConfig config, String listenerName, Supplier<MetadataImage> metadata) {
        String prefix = BrokerConfigs.LISTENER_OVERRIDE_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
        String mechanismsKey = config.originals().containsKey(prefix + ENABLED_MECHANISMS)
                ? prefix + ENABLED_MECHANISMS : ENABLED_MECHANISMS;
        Object mechanismsValue = mechanismsKey.equals(ENABLED_MECHANISMS) ? config.get(ENABLED_MECHANISMS)
                : BrokerConfigs.DEF.key(ENABLED_MECHANISMS).parse(config.originals().get(mechanismsKey));
        @SuppressWarnings("unchecked")
        List<String> mechanisms = ((List<String>) mechanismsValue).stream()
                .map(m -> m.trim().toUpperCase(Locale.ROOT)).distinct().toList();
        if (mechanisms.isEmpty() || !SUPPORTED.containsAll(mechanisms)) {
            throw new ConfigException(mechanismsKey + " is " + mechanisms + " for listener " + listenerName
                    + ": Millrace supports only " + String.join(", ", SUPPORTED) + " yet");
        }
        PlainSasl plain = mechanisms.contains(PlainSasl.PLAIN) ? PlainSasl.of(config, listenerName) : null;
        return new SaslMechanisms(mechanisms, plain, metadata);
    }

    @Override
    public List<String> enabledMechanisms() {
        return enabled;
    }

    @Override
    public SaslExchange start(String mechanism) {
        if (mechanism.equals(PlainSasl.PLAIN)) {
            return plain.start();
        }
        ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism)
                .orElseThrow(() -> new IllegalArgumentException("Mechanism " + mechanism + " is not enabled"));
        return new ScramExchange(scram, (user, m) -> metadata.get().scramCredential(user, m));
    }
}

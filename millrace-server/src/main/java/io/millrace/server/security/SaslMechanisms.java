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
 * the current metadata image, {@link ScramExchange}) and OAUTHBEARER with unsecured JWTs
 * ({@link OAuthBearerExchange}, for tests and development); {@code connections.max.reauth.ms} (per listener,
 * and per listener and mechanism, as in Kafka) bounds a session before re-authentication (KIP-368).
 * Immutable and thread-safe.
 */
public final class SaslMechanisms implements ListenerSasl {
    private static final String ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    private static final String MAX_REAUTH = "connections.max.reauth.ms";
    private static final String JAAS_CONFIG = "sasl.jaas.config";
    private static final String OAUTHBEARER_LOGIN_MODULE =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";
    private static final List<String> SUPPORTED = List.of(PlainSasl.PLAIN,
            ScramMechanism.SCRAM_SHA_256.mechanismName(), ScramMechanism.SCRAM_SHA_512.mechanismName(),
            OAuthBearerExchange.OAUTHBEARER);

    private final List<String> enabled;
    private final PlainSasl plain;
    private final Supplier<MetadataImage> metadata;
    private final Map<String, Long> maxReauthMs;
    private final UnsecuredJwsValidator oauthBearer;

    private SaslMechanisms(List<String> enabled, PlainSasl plain, Supplier<MetadataImage> metadata,
                           Map<String, Long> maxReauthMs, UnsecuredJwsValidator oauthBearer) {
        this.enabled = List.copyOf(enabled);
        this.oauthBearer = oauthBearer;
        this.maxReauthMs = Map.copyOf(maxReauthMs);
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
        Map<String, Long> maxReauthMs = new LinkedHashMap<>();
        for (String mechanism : mechanisms) {
            maxReauthMs.put(mechanism, maxReauthMs(config, prefix, mechanism));
        }
        UnsecuredJwsValidator oauthBearer = mechanisms.contains(OAuthBearerExchange.OAUTHBEARER)
                ? oauthBearer(config, prefix) : null;
        return new SaslMechanisms(mechanisms, plain, metadata, maxReauthMs, oauthBearer);
    }

    /**
     * The unsecured JWT validator of a listener enabling OAUTHBEARER, with the options of the
     * OAuthBearerLoginModule line in listener.name.L.oauthbearer.sasl.jaas.config, else in
     * sasl.jaas.config; Kafka's defaults without either.
     */
    private static UnsecuredJwsValidator oauthBearer(BrokerConfig config, String listenerPrefix) {
        String key = listenerPrefix + "oauthbearer." + JAAS_CONFIG;
        String jaas = config.originals().get(key);
        if (jaas == null) {
            key = JAAS_CONFIG;
            jaas = config.getString(JAAS_CONFIG);
        }
        if (jaas == null || jaas.isBlank()) {
            return UnsecuredJwsValidator.of(key, Map.of());
        }
        JaasOptions options = JaasOptions.parse(key, jaas);
        if (!options.loginModule().equals(OAUTHBEARER_LOGIN_MODULE)) {
            if (key.equals(JAAS_CONFIG)) {
                return UnsecuredJwsValidator.of(key, Map.of()); // another mechanism's line
            }
            throw new ConfigException(key + " must configure " + OAUTHBEARER_LOGIN_MODULE + " (value hidden)");
        }
        return UnsecuredJwsValidator.of(key, options.options());
    }

    /**
     * connections.max.reauth.ms as Kafka resolves it for one listener and mechanism:
     * listener.name.L.MECHANISM.connections.max.reauth.ms, else listener.name.L.connections.max.reauth.ms,
     * else the broker's.
     */
    private static long maxReauthMs(BrokerConfig config, String listenerPrefix, String mechanism) {
        for (String key : List.of(listenerPrefix + mechanism.toLowerCase(Locale.ROOT) + "." + MAX_REAUTH,
                listenerPrefix + MAX_REAUTH)) {
            String text = config.originals().get(key);
            if (text != null) {
                return (Long) BrokerConfigs.DEF.key(MAX_REAUTH).parse(text);
            }
        }
        return config.getLong(MAX_REAUTH);
    }

    @Override
    public List<String> enabledMechanisms() {
        return enabled;
    }

    @Override
    public long maxReauthMs(String mechanism) {
        return maxReauthMs.getOrDefault(mechanism, 0L);
    }

    @Override
    public SaslExchange start(String mechanism) {
        if (mechanism.equals(PlainSasl.PLAIN)) {
            return plain.start();
        }
        if (mechanism.equals(OAuthBearerExchange.OAUTHBEARER)) {
            return new OAuthBearerExchange(oauthBearer, System::currentTimeMillis);
        }
        ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism)
                .orElseThrow(() -> new IllegalArgumentException("Mechanism " + mechanism + " is not enabled"));
        return new ScramExchange(scram, (user, m) -> metadata.get().scramCredential(user, m));
    }
}

package io.millrace.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of a broker configuration that Millrace does not act on, by {@link Support}:
 * those it refuses (a SASL inter-broker listener whose mechanism Millrace cannot use, a SASL controller listener, an UNSUPPORTED key set to a value other than its default, any undefined
 * {@code ssl.*}, {@code sasl.*} or {@code quota.*} key, a per-listener override of one) and those
 * it ignores (an IGNORED key set to a value other than its default, any per-listener override
 * other than the {@code ssl.*} and SASL/PLAIN keys Millrace acts on). Stateless and thread-safe.
 */
public final class UnsupportedSettings {

    /** Key prefixes of mechanisms Millrace lacks: an undefined key with one of them is refused too. */
    static final List<String> UNSUPPORTED_PREFIXES = List.of("ssl.", "sasl.", "quota.");

    private static final String INTER_BROKER_SASL_MECHANISM = "sasl.mechanism.inter.broker.protocol";
    private static final List<String> INTER_BROKER_SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final String REAUTH = "connections.max.reauth.ms";
    private static final List<String> REAUTH_MECHANISMS = List.of("plain", "scram-sha-256", "scram-sha-512",
            "oauthbearer");
    private static final String BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";

    private UnsupportedSettings() {
    }

    /**
     * Throws a ConfigException whose one-line message names every refused setting of
     * {@code config}'s static keys (its listeners and {@link BrokerConfig#originals()}); returns
     * when there is none.
     */
    static void refuse(BrokerConfig config) {
        List<String> refused = new ArrayList<>();
        for (Endpoint listener : config.listeners()) {
            String protocol = config.securityProtocol(listener.listenerName());
            boolean controller = config.controllerListenerNames().contains(listener.listenerName());
            if (protocol.startsWith("SASL_") && controller) {
                refused.add("controller listener " + listener + " uses security protocol " + protocol
                        + " (the metadata quorum runs over plaintext or TLS only)");
            } else if (protocol.startsWith("SASL_") && listener.listenerName().equals(config.interBrokerListenerName())
                    && !INTER_BROKER_SASL_MECHANISMS.contains(config.getString(INTER_BROKER_SASL_MECHANISM))) {
                refused.add("inter-broker listener " + listener + " uses security protocol " + protocol + " with "
                        + INTER_BROKER_SASL_MECHANISM + "=" + config.getString(INTER_BROKER_SASL_MECHANISM)
                        + " (brokers authenticate to each other with " + String.join(", ", INTER_BROKER_SASL_MECHANISMS)
                        + " only)");
            }
        }
        config.originals().forEach((name, text) -> {
            if (isRefused(config, name, text)) {
                refused.add(shown(name, isSensitive(name), text) + why(name));
            }
        });
        if (refused.size() == 1) {
            throw new ConfigException(refused.get(0) + ", which Millrace does not support yet");
        }
        if (!refused.isEmpty()) {
            throw new ConfigException("Millrace does not support these settings yet: " + String.join("; ", refused));
        }
    }

    /** The static keys of {@code config} that are accepted and ignored, sorted; see {@link #refuse} first. */
    static List<String> ignored(BrokerConfig config) {
        Set<String> ignored = new TreeSet<>();
        config.originals().forEach((name, text) -> {
            ConfigKey key = BrokerConfigs.DEF.key(name);
            if (name.startsWith(BrokerConfigs.LISTENER_OVERRIDE_PREFIX)) {
                if (!isAppliedListenerOverride(name.substring(BrokerConfigs.LISTENER_OVERRIDE_PREFIX.length()))) {
                    ignored.add(name); // only the TLS keys are applied per listener
                }
            } else if (key != null && key.support() == Support.IGNORED && key.differsFromDefault(key.parse(text))) {
                ignored.add(name);
            } else if (name.equals(BOOTSTRAP_SERVERS) && hasVoters(config) && !text.isBlank()) {
                ignored.add(name); // controller.quorum.voters defines the quorum
            }
        });
        ignored.removeIf(name -> isRefused(config, name, config.originals().get(name)));
        return List.copyOf(ignored);
    }

    /**
     * Why a runtime update (a topic config, a dynamic broker config) of {@code key} to
     * {@code text} is refused, in one line; null when it is not. The value must be valid.
     */
    public static String refusal(ConfigKey key, String text) {
        if (text == null || key.support() != Support.UNSUPPORTED || !key.differsFromDefault(key.parse(text))) {
            return null;
        }
        return shown(key.name(), key.sensitive(), text) + why(key.name()) + ", which Millrace does not support yet";
    }

    private static boolean isRefused(BrokerConfig config, String name, String text) {
        if (name.startsWith(BrokerConfigs.LISTENER_OVERRIDE_PREFIX)) {
            return isRefusedListenerOverride(name.substring(BrokerConfigs.LISTENER_OVERRIDE_PREFIX.length()));
        }
        ConfigKey key = BrokerConfigs.DEF.key(name);
        if (key == null) {
            return hasUnsupportedPrefix(name);
        }
        if (key.support() != Support.UNSUPPORTED || !key.differsFromDefault(key.parse(text))) {
            return false;
        }
        return !name.equals(BOOTSTRAP_SERVERS) || !(hasVoters(config) || bootstrapsItself(config, text));
    }

    /**
     * listener.name.LISTENER.KEY, or listener.name.LISTENER.MECHANISM.KEY for SASL: refused when
     * KEY is UNSUPPORTED or under an unsupported prefix.
     */
    private static boolean isRefusedListenerOverride(String afterPrefix) {
        String[] parts = afterPrefix.split("\\.", 3);
        for (int skip = 1; skip < parts.length; skip++) {
            String rest = String.join(".", List.of(parts).subList(skip, parts.length));
            ConfigKey key = BrokerConfigs.DEF.key(rest);
            if (key == null ? hasUnsupportedPrefix(rest) : key.support() == Support.UNSUPPORTED) {
                return true;
            }
        }
        return false;
    }

    /**
     * listener.name.LISTENER.ssl.KEY where ssl.KEY is acted on (the listener's TLS uses it),
     * listener.name.LISTENER.sasl.enabled.mechanisms, listener.name.LISTENER.plain.sasl.jaas.config,
     * listener.name.LISTENER.scram-sha-256|512.sasl.jaas.config (Kafka's server-side ScramLoginModule
     * line, which has no server options: credentials live in the metadata; its username and password
     * are the broker's own on the inter-broker listener), listener.name.LISTENER.oauthbearer.sasl.jaas.config
     * (the unsecured JWT validator's options), and
     * listener.name.LISTENER[.MECHANISM].connections.max.reauth.ms.
     */
    private static boolean isAppliedListenerOverride(String afterPrefix) {
        int dot = afterPrefix.indexOf('.');
        String rest = dot < 0 ? "" : afterPrefix.substring(dot + 1);
        ConfigKey key = BrokerConfigs.DEF.key(rest);
        return rest.startsWith("ssl.") && key != null && key.support() == Support.ACTED_ON
                || rest.equals("sasl.enabled.mechanisms") || rest.equals("plain.sasl.jaas.config")
                || rest.equals("scram-sha-256.sasl.jaas.config") || rest.equals("scram-sha-512.sasl.jaas.config")
                || rest.equals("oauthbearer.sasl.jaas.config") || rest.equals(REAUTH) || REAUTH_MECHANISMS.stream().anyMatch(m -> rest.equals(m + "." + REAUTH));
    }

    private static boolean hasUnsupportedPrefix(String name) {
        return UNSUPPORTED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static boolean hasVoters(BrokerConfig config) {
        return !config.getList(BrokerConfigs.CONTROLLER_QUORUM_VOTERS).isEmpty();
    }

    /**
     * True when controller.quorum.bootstrap.servers names only this node's own controller
     * listener (Kafka's single-node sample): a quorum of one, which is what Millrace runs
     * without controller.quorum.voters. Any other node there would be silently left out.
     */
    private static boolean bootstrapsItself(BrokerConfig config, String text) {
        @SuppressWarnings("unchecked")
        List<String> servers = (List<String>) BrokerConfigs.DEF.parseValue(BOOTSTRAP_SERVERS, text);
        if (servers.size() != 1) {
            return false;
        }
        String server = servers.get(0);
        String port = server.substring(server.lastIndexOf(':') + 1);
        return config.listeners().stream()
                .filter(e -> config.controllerListenerNames().contains(e.listenerName()))
                .anyMatch(e -> Integer.toString(e.port()).equals(port));
    }

    /** A broker key, or a per-listener override of one, whose value must not be shown; passwords too. */
    private static boolean isSensitive(String name) {
        if (name.contains("password")) {
            return true;
        }
        return BrokerConfigs.DEF.keys().stream().anyMatch(k -> k.sensitive() && name.endsWith(k.name()));
    }

    /** What a refused key's line adds to say what to do instead; "" for most. */
    private static String why(String name) {
        return name.equals("client.quota.callback.class")
                ? " (Millrace has no quota callback plugins; quotas are set per user and client id with"
                        + " kafka-configs.sh --entity-type users|clients or AlterClientQuotas)"
                : "";
    }

    private static String shown(String name, boolean sensitive, String text) {
        return sensitive ? name + " is set (value hidden)" : name + " is set to '" + text.trim() + "'";
    }
}

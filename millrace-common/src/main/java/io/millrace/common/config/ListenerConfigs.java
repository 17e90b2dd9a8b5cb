package io.millrace.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses and cross-checks listeners, advertised listeners and their security protocols. */
final class ListenerConfigs {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private ListenerConfigs() {
    }

    /** listeners: at least one, unique names, unique non-zero ports; an empty host becomes 0.0.0.0. */
    static List<Endpoint> listeners(String value) {
        String key = BrokerConfigs.LISTENERS;
        List<Endpoint> parsed = Endpoint.parseList(key, value);
        if (parsed.isEmpty()) {
            throw new ConfigException(key, value, "at least one listener is required");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : parsed) {
            if (!names.add(e.listenerName())) {
                throw new ConfigException(key, value, "listener name " + e.listenerName() + " is used twice");
            }
            if (e.port() != 0 && !ports.add(e.port())) {
                throw new ConfigException(key, value, "port " + e.port() + " is used twice");
            }
            endpoints.add(e.host().isEmpty() ? new Endpoint(e.listenerName(), "0.0.0.0", e.port()) : e);
        }
        return List.copyOf(endpoints);
    }

    /**
     * advertised.listeners when set (names must be listeners, no wildcard host), else the
     * listeners with a wildcard host replaced by this machine's name. Controller listeners are
     * left out: clients are never sent to them.
     */
    static List<Endpoint> advertised(String value, List<Endpoint> listeners, List<String> controllerNames) {
        String key = BrokerConfigs.ADVERTISED_LISTENERS;
        List<Endpoint> chosen = new ArrayList<>();
        if (value != null && !value.isBlank()) {
            Set<String> listenerNames = new HashSet<>();
            listeners.forEach(e -> listenerNames.add(e.listenerName()));
            for (Endpoint e : Endpoint.parseList(key, value)) {
                if (!listenerNames.contains(e.listenerName())) {
                    throw new ConfigException(key, value, "listener " + e.listenerName() + " is not in listeners");
                }
                if (e.isWildcard()) {
                    throw new ConfigException(key, value, "cannot advertise the wildcard address of " + e.listenerName());
                }
                chosen.add(e);
            }
        } else {
            for (Endpoint e : listeners) {
                chosen.add(e.isWildcard() ? new Endpoint(e.listenerName(), localHostName(), e.port()) : e);
            }
        }
        chosen.removeIf(e -> controllerNames.contains(e.listenerName()));
        return List.copyOf(chosen);
    }

    /**
     * listener.security.protocol.map as NAME to PROTOCOL; every listener must have a protocol,
     * except controller listeners, which default to PLAINTEXT when unmapped (as Kafka does).
     */
    static Map<String, String> protocolMap(String value, List<Endpoint> listeners, List<String> controllerNames) {
        String key = BrokerConfigs.LISTENER_SECURITY_PROTOCOL_MAP;
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            String[] pair = item.trim().split("\\s*:\\s*");
            if (pair.length != 2 || pair[0].isEmpty()) {
                throw new ConfigException(key, value, "'" + item.trim() + "' is not of the form NAME:PROTOCOL");
            }
            String protocol = pair[1].toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw new ConfigException(key, value, "unknown security protocol " + pair[1]);
            }
            if (map.put(pair[0].toUpperCase(Locale.ROOT), protocol) != null) {
                throw new ConfigException(key, value, "listener " + pair[0] + " is mapped twice");
            }
        }
        for (String name : controllerNames) {
            map.putIfAbsent(name, "PLAINTEXT");
        }
        for (Endpoint e : listeners) {
            if (!map.containsKey(e.listenerName())) {
                throw new ConfigException(key, value, "no security protocol for listener " + e.listenerName());
            }
        }
        return Map.copyOf(map);
    }

    /** controller.listener.names, upper-cased; empty when unset. */
    static List<String> names(String value) {
        List<String> names = new ArrayList<>();
        if (value != null) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(names);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

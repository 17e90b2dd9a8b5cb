package io.millrace.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}.
 * The listener name is upper-cased as Kafka does; an empty host means every interface.
 * An IPv6 host is kept without brackets.
 */
public record Endpoint(String listenerName, String host, int port) {

    private static final Pattern ENDPOINT =
            Pattern.compile("([A-Za-z0-9_.\\-]+)://(\\[([0-9A-Fa-f:.%a-zA-Z]*)]|([^:/\\[\\]]*)):([0-9]+)");

    /** Parses a comma-separated list; ConfigException names {@code key} and the whole value. */
    public static List<Endpoint> parseList(String key, String value) {
        List<Endpoint> endpoints = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return endpoints;
        }
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            endpoints.add(parse(key, value, trimmed));
        }
        return endpoints;
    }

    private static Endpoint parse(String key, String whole, String item) {
        Matcher m = ENDPOINT.matcher(item);
        if (!m.matches()) {
            throw new ConfigException(key, whole, "'" + item + "' is not of the form NAME://host:port");
        }
        String host = m.group(3) != null ? m.group(3) : m.group(4);
        int port;
        try {
            port = Integer.parseInt(m.group(5));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, whole, "port of '" + item + "' must be between 0 and 65535");
        }
        return new Endpoint(m.group(1).toUpperCase(Locale.ROOT), host, port);
    }

    /** True for an empty host, 0.0.0.0 or ::, which bind every interface. */
    public boolean isWildcard() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    @Override
    public String toString() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return listenerName + "://" + shownHost + ":" + port;
    }
}

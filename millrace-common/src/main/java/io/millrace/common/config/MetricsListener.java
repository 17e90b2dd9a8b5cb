package io.millrace.common.config;

import java.util.Optional;

/**
 * The value of {@code millrace.metrics.listener}: {@code host:port} ({@code [v6-address]:port} for an
 * IPv6 literal), or empty for no metrics listener. The host is resolved when the listener binds.
 *
 * @param host the host name or address to bind
 * @param port the port, 0 for any free one
 */
public record MetricsListener(String host, int port) {

    /** Checks the syntax when the configuration is read, so a bad value stops start-up with one line. */
    static final Validator VALIDATOR = new Validator() {
        @Override
        public void ensureValid(String key, Object value) {
            if (value != null && !((String) value).isBlank()) {
                parse(key, (String) value);
            }
        }

        @Override
        public String toString() {
            return "host:port, or empty for none";
        }
    };

    /** The configured listener, empty when the key is unset or blank. */
    public static Optional<MetricsListener> of(BrokerConfig config) {
        String value = config.getString(BrokerConfigs.METRICS_LISTENER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(BrokerConfigs.METRICS_LISTENER, value));
    }

    static MetricsListener parse(String key, String value) {
        String text = value.trim();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(key, value, "expected host:port, e.g. 127.0.0.1:9404");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException(key, value, "an IPv6 address goes in brackets, e.g. [::1]:9404");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "the port is not a number");
        }
        if (port < 0 || port > 65535 || host.isBlank()) {
            throw new ConfigException(key, value, "expected host:port with a port from 0 to 65535");
        }
        return new MetricsListener(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

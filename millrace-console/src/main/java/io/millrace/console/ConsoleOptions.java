package io.millrace.console;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Console} runs. Immutable.
 *
 * @param clientProperties Kafka client properties; {@code bootstrap.servers} at least
 * @param listen           the HTTP address (port 0 picks a free one)
 * @param actionsEnabled   whether the pages offer create/delete topic and reset offsets
 * @param sampleInterval   how often the sampler polls the cluster
 * @param history          how far back the charts go (an hour by default)
 * @param firstSampleDelay when the sampler first polls the cluster (at once by default; beside a
 *                         broker that has just started, later, so its first clients are served first)
 */
public record ConsoleOptions(Map<String, Object> clientProperties, InetSocketAddress listen, boolean actionsEnabled,
                             Duration sampleInterval, Duration history, Duration firstSampleDelay) {

    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HISTORY = Duration.ofHours(1);

    public ConsoleOptions {
        clientProperties = Map.copyOf(clientProperties);
        Objects.requireNonNull(listen, "listen");
        if (!clientProperties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("bootstrap.servers is required");
        }
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("the sample interval must be at least 100 ms");
        }
        if (firstSampleDelay.isNegative()) {
            throw new IllegalArgumentException("the first sample's delay must not be negative");
        }
    }

    /** Sampling from the start. */
    public ConsoleOptions(Map<String, Object> clientProperties, InetSocketAddress listen, boolean actionsEnabled,
                          Duration sampleInterval, Duration history) {
        this(clientProperties, listen, actionsEnabled, sampleInterval, history, Duration.ZERO);
    }

    /** Read-only, sampling every 5 s, an hour of history. */
    public static ConsoleOptions of(String bootstrapServers, InetSocketAddress listen) {
        return new ConsoleOptions(Map.of("bootstrap.servers", bootstrapServers), listen, false,
                DEFAULT_SAMPLE_INTERVAL, DEFAULT_HISTORY);
    }

    public ConsoleOptions withActions(boolean enabled) {
        return new ConsoleOptions(clientProperties, listen, enabled, sampleInterval, history, firstSampleDelay);
    }

    public ConsoleOptions withSampleInterval(Duration interval) {
        return new ConsoleOptions(clientProperties, listen, actionsEnabled, interval, history, firstSampleDelay);
    }

    public ConsoleOptions withFirstSampleDelay(Duration delay) {
        return new ConsoleOptions(clientProperties, listen, actionsEnabled, sampleInterval, history, delay);
    }

    /** Samples kept per series: the history over the interval, plus one. */
    int ringCapacity() {
        return (int) Math.max(2, history.toMillis() / sampleInterval.toMillis() + 1);
    }

    /** Parses {@code host:port} (an empty host is 127.0.0.1); IllegalArgumentException names what is wrong. */
    public static InetSocketAddress parseListen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        String host = hostPort.substring(0, colon).strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' has no port number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of '" + hostPort + "' is out of range");
        }
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }
}

package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConsoleKeys;
import io.millrace.common.config.Endpoint;
import io.millrace.console.Console;
import io.millrace.console.ConsoleOptions;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console started beside the broker by {@code millrace server}: on
 * {@code millrace.console.listener} (unset: 127.0.0.1:9080 on a single node, off in a cluster),
 * reaching the broker through its first PLAINTEXT listener. An explicitly set listener that
 * cannot be used stops start-up; the default one, if taken (another server on this machine),
 * only warns. Stateless.
 */
final class BrokerConsole {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConsole.class);

    private BrokerConsole() {
    }

    /** Starts the console if configured; {@code boundPort} gives a listener's bound port by name. */
    static Optional<Console> start(BrokerConfig config, ToIntFunction<String> boundPort) {
        boolean explicit = config.isSet(ConsoleKeys.LISTENER);
        Optional<String> listenAt = listenAddress(config);
        if (listenAt.isEmpty()) {
            return Optional.empty();
        }
        String listen = listenAt.get();
        Optional<Endpoint> plaintext = config.listeners().stream()
                .filter(e -> !config.controllerListenerNames().contains(e.listenerName()))
                .filter(e -> config.securityProtocol(e.listenerName()).equals("PLAINTEXT"))
                .findFirst();
        if (plaintext.isEmpty()) {
            String why = "the web console (" + ConsoleKeys.LISTENER + ") needs a PLAINTEXT listener to reach the broker";
            if (explicit) {
                throw new IllegalStateException(why);
            }
            LOG.warn("No web console: {}", why);
            return Optional.empty();
        }
        Endpoint broker = plaintext.get();
        String host = broker.host().isEmpty() || broker.isWildcard() ? "127.0.0.1" : broker.host();
        String bootstrap = (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort.applyAsInt(broker.listenerName());
        // Its first sample (an Admin client's first calls) waits an interval: the broker has just
        // begun to serve, and its first clients' requests go first.
        ConsoleOptions options = ConsoleOptions.of(bootstrap, ConsoleOptions.parseListen(listen))
                .withActions(config.getBoolean(ConsoleKeys.ACTIONS_ENABLE))
                .withFirstSampleDelay(ConsoleOptions.DEFAULT_SAMPLE_INTERVAL);
        try {
            return Optional.of(Console.start(options));
        } catch (UncheckedIOException e) {
            if (explicit) {
                throw e;
            }
            LOG.warn("No web console: {} (set {} to another host:port, or empty to switch it off)", e.getMessage(),
                    ConsoleKeys.LISTENER);
            return Optional.empty();
        }
    }

    /** Where the console listens (host:port), or empty when it is off. */
    static Optional<String> listenAddress(BrokerConfig config) {
        String listen = config.isSet(ConsoleKeys.LISTENER) ? config.getString(ConsoleKeys.LISTENER)
                : singleNode(config) ? ConsoleKeys.SINGLE_NODE_DEFAULT : "";
        return listen == null || listen.isBlank() ? Optional.empty() : Optional.of(listen.strip());
    }

    /** Alone in its quorum: no voters configured, or only itself (id@host:port). */
    private static boolean singleNode(BrokerConfig config) {
        java.util.List<String> voters = config.getList("controller.quorum.voters");
        return voters.isEmpty()
                || (voters.size() == 1 && voters.get(0).strip().startsWith(config.nodeId() + "@"));
    }
}

package io.millrace.it;

import io.millrace.common.config.BrokerConfig;
import io.millrace.server.Broker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Millrace node inside the test JVM. The first start binds port 0 and remembers the port it
 * got; {@link #restart()} shuts the node down cleanly and starts a new one on the same port and
 * data directory, so clients holding {@link #bootstrap()} reconnect to it.
 *
 * <p>Not thread-safe: one test drives it. {@link #close()} is idempotent.
 */
public final class InProcessBroker implements AutoCloseable {
    public static final int NODE_ID = 1;

    private final Map<String, String> props;
    private Broker broker;
    private int port;

    private InProcessBroker(Map<String, String> props) {
        this.props = props;
    }

    /** Starts a single node with data in {@code dataDir} and the given extra server properties. */
    public static InProcessBroker start(Path dataDir, Map<String, String> extraProps) {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", "1");
        props.put("log.initial.task.delay.ms", "0");
        props.putAll(extraProps);
        InProcessBroker node = new InProcessBroker(props);
        node.startNode();
        return node;
    }

    public static InProcessBroker start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The port {@code listenerName} is bound to. */
    public int port(String listenerName) {
        return broker.boundPort(listenerName);
    }

    /** The port of the node's /metrics listener (millrace.metrics.listener must be set). */
    public int metricsPort() {
        return broker.metricsPort().orElseThrow(() -> new IllegalStateException("no millrace.metrics.listener"));
    }

    /** Clean shutdown, then a new node on the same ports (every listener's) and data directory. */
    public void restart() {
        String listeners = broker == null ? props.get("listeners") : boundListeners();
        stop();
        props.put("listeners", listeners);
        startNode();
    }

    /** {@code listeners} with each listener's port 0 replaced by the port it is bound to. */
    private String boundListeners() {
        StringBuilder bound = new StringBuilder();
        for (String listener : props.get("listeners").split(",")) {
            String name = listener.substring(0, listener.indexOf("://")).trim();
            String hostAndPort = listener.substring(listener.indexOf("://") + 3);
            String host = hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
            bound.append(bound.isEmpty() ? "" : ",").append(name).append("://").append(host).append(':')
                    .append(broker.boundPort(name));
        }
        return bound.toString();
    }

    /** Clean shutdown; the data directory stays. */
    public void stop() {
        if (broker != null) {
            Broker stopping = broker;
            broker = null;
            stopping.shutdown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void startNode() {
        Broker started = new Broker(BrokerConfig.fromProperties(Map.copyOf(props)));
        try {
            started.start();
        } catch (RuntimeException e) {
            started.shutdown();
            throw e;
        }
        broker = started;
        port = started.boundPort();
    }
}

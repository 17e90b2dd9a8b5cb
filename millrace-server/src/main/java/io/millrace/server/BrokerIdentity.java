package io.millrace.server;

import io.millrace.common.config.Endpoint;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Who this broker is, as it tells clients: node id, cluster id, rack and the advertised
 * endpoints. An advertised port of 0 (listeners bound to a free port, as tests do) is replaced
 * by the real port once the listeners are bound. Thread-safe.
 */
public final class BrokerIdentity {
    private final int nodeId;
    private final String clusterId;
    private final String rack;
    private volatile List<Endpoint> advertised;

    public BrokerIdentity(int nodeId, String clusterId, List<Endpoint> advertised, String rack) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.advertised = List.copyOf(advertised);
        this.rack = rack;
    }

    public int nodeId() {
        return nodeId;
    }

    public String clusterId() {
        return clusterId;
    }

    public String rack() {
        return rack;
    }

    public List<Endpoint> advertised() {
        return advertised;
    }

    /** Replaces advertised port 0 with the port the listener of the same name is bound to. */
    void resolvePorts(ToIntFunction<String> boundPort) {
        advertised = advertised.stream().map(e -> e.port() != 0 ? e
                : new Endpoint(e.listenerName(), e.host(), boundPort.applyAsInt(e.listenerName()))).toList();
    }

    /** The advertised endpoint of {@code listenerName}, or the first one. */
    public Endpoint endpointFor(String listenerName) {
        List<Endpoint> current = advertised;
        return current.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst()
                .orElse(current.get(0));
    }
}

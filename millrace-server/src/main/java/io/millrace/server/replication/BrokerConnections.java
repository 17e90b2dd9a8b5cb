package io.millrace.server.replication;

import io.millrace.metadata.image.MetadataImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One blocking {@link NodeConnection} per broker, opened on first use to the broker's endpoint on
 * the inter-broker listener (as the current metadata image names it) and kept until it fails:
 * the sender that owns it calls {@link #drop} after an I/O error so the next request reconnects.
 * Used by the brokers' own requests to other brokers (WriteTxnMarkers, AddPartitionsToTxn).
 *
 * <p>Not thread-safe: owned by one sender thread. Lifecycle: {@link #close} (on that thread)
 * closes every connection.
 */
public final class BrokerConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnections.class);

    private final Supplier<MetadataImage> metadata;
    private final String interBrokerListener;
    private final String clientId;
    private final int connectTimeoutMs;
    private final int requestTimeoutMs;
    private final ClientSecurity security;
    private final Map<Integer, NodeConnection> connections = new HashMap<>();

    /** @param security how to secure the connections (TLS when the inter-broker listener is SSL) */
    public BrokerConnections(Supplier<MetadataImage> metadata, String interBrokerListener, String clientId,
                             int connectTimeoutMs, int requestTimeoutMs, ClientSecurity security) {
        this.security = security;
        this.metadata = metadata;
        this.interBrokerListener = interBrokerListener;
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * The connection to {@code brokerId}, opened now if there is none; null when the metadata
     * names no endpoint of it on the inter-broker listener.
     *
     * @throws IOException when the broker cannot be reached
     */
    public NodeConnection get(int brokerId) throws IOException {
        NodeConnection existing = connections.get(brokerId);
        if (existing != null) {
            return existing;
        }
        Optional<InetSocketAddress> address = metadata.get().broker(brokerId)
                .flatMap(b -> b.endpoint(interBrokerListener)).map(e -> new InetSocketAddress(e.host(), e.port()));
        if (address.isEmpty()) {
            return null;
        }
        NodeConnection opened = NodeConnection.open(address.get(), clientId, connectTimeoutMs, requestTimeoutMs,
                security);
        connections.put(brokerId, opened);
        return opened;
    }

    /** Closes and forgets the connection to {@code brokerId} (after it failed). */
    public void drop(int brokerId, Exception cause) {
        log.debug("{}: dropping the connection to broker {}: {}", clientId, brokerId, cause.toString());
        NodeConnection broken = connections.remove(brokerId);
        if (broken != null) {
            broken.close();
        }
    }

    @Override
    public void close() {
        connections.values().forEach(NodeConnection::close);
        connections.clear();
    }
}

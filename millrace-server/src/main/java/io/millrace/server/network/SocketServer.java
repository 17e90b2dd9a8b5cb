package io.millrace.server.network;

import io.millrace.common.config.Endpoint;
import io.millrace.server.api.Authorizer;
import io.millrace.server.api.ClientThrottle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka protocol server: binds every listener and serves each client connection.
 *
 * <p>Threads: one platform thread per listener accepts connections ("acceptor-NAME"); each
 * connection is served by its own virtual thread ("conn-ID") with blocking socket I/O, one
 * request at a time, so a connection's responses leave in request order. Handlers are called on
 * the connection's thread and may complete their future on any thread.
 *
 * <p>Faults stay with the connection that caused them: bytes that are not a request we can serve
 * close that connection (one WARN line); a handler failure is answered with the API's error
 * response. Lifecycle: construct, {@link #start()} once, {@link #close()} once (idempotent).
 * All public methods are thread-safe.
 *
 * <p>An SSL listener (one given a {@link ListenerTls}) runs TLS with the JDK's SSLEngine on
 * each connection's thread; the others are plaintext, with zero-copy fetches.
 */
public final class SocketServer implements AutoCloseable {
    /** For the buffer-size parameters: leave the operating system's default (as Kafka's -1). */
    public static final int OS_DEFAULT_BUFFER = -1;
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private enum State { NEW, BOUND, STARTED, CLOSED }

    private final List<Endpoint> listeners;
    private final RequestDispatcher dispatcher;
    private final int maxRequestBytes;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final Map<String, ListenerTls> tlsByListener;
    private final Map<String, ListenerSasl> saslByListener;

    private final List<Acceptor> acceptors = new ArrayList<>();
    private final Map<String, Integer> boundPorts = new ConcurrentHashMap<>();
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong nextConnectionId = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private State state = State.NEW;

    /** A server using the operating system's socket buffer sizes. */
    public SocketServer(List<Endpoint> listeners, HandlerRegistry registry, int maxRequestBytes) {
        this(listeners, registry, maxRequestBytes, OS_DEFAULT_BUFFER, OS_DEFAULT_BUFFER);
    }

    /**
     * @param maxRequestBytes    socket.request.max.bytes: larger requests close the connection
     * @param sendBufferBytes    socket.send.buffer.bytes, or {@link #OS_DEFAULT_BUFFER}
     * @param receiveBufferBytes socket.receive.buffer.bytes, or {@link #OS_DEFAULT_BUFFER}
     */
    public SocketServer(List<Endpoint> listeners, HandlerRegistry registry, int maxRequestBytes,
                        int sendBufferBytes, int receiveBufferBytes) {
        this(listeners, Map.of(), Map.of(), registry, maxRequestBytes, sendBufferBytes, receiveBufferBytes);
    }

    /**
     * @param tlsByListener  the TLS of each SSL and SASL_SSL listener, by listener name; the others are plaintext
     * @param saslByListener the SASL of each SASL_PLAINTEXT and SASL_SSL listener, by name
     */
    public SocketServer(List<Endpoint> listeners, Map<String, ListenerTls> tlsByListener,
                        Map<String, ListenerSasl> saslByListener, HandlerRegistry registry,
                        int maxRequestBytes, int sendBufferBytes, int receiveBufferBytes) {
        this(listeners, tlsByListener, saslByListener, registry, Authorizer.NONE, maxRequestBytes, sendBufferBytes,
                receiveBufferBytes);
    }

    /** @param authorizer decides what each request's principal may do ({@link Authorizer#NONE}: everything) */
    public SocketServer(List<Endpoint> listeners, Map<String, ListenerTls> tlsByListener,
                        Map<String, ListenerSasl> saslByListener, HandlerRegistry registry, Authorizer authorizer,
                        int maxRequestBytes, int sendBufferBytes, int receiveBufferBytes) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("No listeners to bind");
        }
        Set<String> names = new HashSet<>();
        for (Endpoint listener : listeners) {
            if (!names.add(listener.listenerName())) {
                throw new IllegalArgumentException("Listener " + listener.listenerName() + " is given twice");
            }
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("socket.request.max.bytes must be positive, was " + maxRequestBytes);
        }
        this.listeners = List.copyOf(listeners);
        this.dispatcher = new RequestDispatcher(registry, authorizer);
        this.maxRequestBytes = maxRequestBytes;
        this.sendBufferBytes = sendBufferBytes;
        this.receiveBufferBytes = receiveBufferBytes;
        this.tlsByListener = Map.copyOf(tlsByListener);
        this.saslByListener = Map.copyOf(saslByListener);
        if (!names.containsAll(this.tlsByListener.keySet()) || !names.containsAll(this.saslByListener.keySet())) {
            throw new IllegalArgumentException("TLS or SASL given for listeners that are not bound: "
                    + tlsByListener.keySet() + ", " + saslByListener.keySet());
        }
    }

    /** Client quotas: how long to throttle a connection after each response. Call before {@link #start()}. */
    public void throttleClients(ClientThrottle throttle) {
        dispatcher.throttleWith(throttle);
    }

    /** Request metrics: told of every request served. Call before {@link #start()}. */
    public void observeRequests(RequestObserver observer) {
        dispatcher.observeWith(observer);
    }

    /**
     * Binds every listener, then starts accepting ({@link #bind()} then {@link #accept()}).
     *
     * @throws UncheckedIOException naming the listener that could not be bound
     */
    public synchronized void start() {
        bind();
        accept();
    }

    /**
     * Binds every listener (so {@link #boundPort} knows the ports and clients' connections wait in
     * the backlog) without accepting yet. If one cannot be bound, those already bound are
     * released and nothing is bound.
     *
     * @throws UncheckedIOException naming the listener that could not be bound
     */
    public synchronized void bind() {
        if (state != State.NEW) {
            throw new IllegalStateException("The socket server was already " + state.name().toLowerCase());
        }
        Map<Endpoint, ServerSocketChannel> bound = new LinkedHashMap<>();
        try {
            for (Endpoint listener : listeners) {
                bound.put(listener, bind(listener));
            }
        } catch (IOException e) {
            bound.values().forEach(SocketServer::closeQuietly);
            throw new UncheckedIOException(e);
        }
        bound.forEach((listener, channel) -> acceptors.add(new Acceptor(listener, channel, this)));
        state = State.BOUND;
    }

    /** Starts accepting connections on the listeners {@link #bind()} bound. */
    public synchronized void accept() {
        if (state != State.BOUND) {
            throw new IllegalStateException("The socket server is " + state.name().toLowerCase() + ", not bound");
        }
        state = State.STARTED;
        acceptors.forEach(Acceptor::start);
        log.info("Listening on {}", describeBound());
    }

    private ServerSocketChannel bind(Endpoint listener) throws IOException {
        InetSocketAddress address = isWildcard(listener.host())
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (receiveBufferBytes > 0) {
                // Set before bind so that accepted sockets may use a window above 64 KiB.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.bind(address);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IOException("Cannot bind listener " + listener + ": " + e.getMessage(), e);
        }
        boundPorts.put(listener.listenerName(), ((InetSocketAddress) channel.getLocalAddress()).getPort());
        return channel;
    }

    private static boolean isWildcard(String host) {
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
    }

    /** The port {@code listenerName} is bound to: the configured one, or the one chosen for port 0. */
    public int boundPort(String listenerName) {
        Integer port = boundPorts.get(listenerName);
        if (port == null) {
            throw new IllegalArgumentException("Listener " + listenerName + " is not bound (known: "
                    + listeners.stream().map(Endpoint::listenerName).toList() + ")");
        }
        return port;
    }

    /** The connections open now on each listener (every listener named, 0 when none is open). */
    public Map<String, Integer> connectionsByListener() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        listeners.forEach(listener -> counts.put(listener.listenerName(), 0));
        connections.values().forEach(c -> counts.merge(c.info().listenerName(), 1, Integer::sum));
        return counts;
    }

    public SocketServerStats stats() {
        return new SocketServerStats(connections.size(), accepted.sum(), rejected.sum());
    }

    /** Called on an acceptor thread with a connection just accepted on {@code listenerName}. */
    void accepted(String listenerName, SocketChannel channel) {
        long id = nextConnectionId.incrementAndGet();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (sendBufferBytes > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
            }
            InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
            if (peer == null) {
                throw new IOException("the client already disconnected");
            }
            Connection connection = new Connection(new ConnectionInfo(id, listenerName, peer), channel,
                    tlsByListener.get(listenerName), saslByListener.get(listenerName), dispatcher, maxRequestBytes,
                    this);
            accepted.increment();
            connections.put(id, connection);
            connection.start();
            log.debug("Accepted {}", connection.info());
        } catch (IOException e) {
            log.debug("Dropping connection {} on listener {}: {}", id, listenerName, e.toString());
            closeQuietly(channel);
        }
    }

    /** Called on a connection's thread as it ends. */
    void connectionClosed(Connection connection, boolean rejectedInput) {
        connections.remove(connection.info().id());
        if (rejectedInput) {
            rejected.increment();
        }
    }

    /** Stops accepting, closes every connection and waits for their threads. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        boolean interrupted = false;
        try {
            for (Acceptor acceptor : acceptors) {
                acceptor.close();
            }
            // The acceptors have ended, so no connection is added from here on.
            List<Connection> open = List.copyOf(connections.values());
            open.forEach(Connection::close);
            long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
            for (Connection connection : open) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!connection.awaitTermination(left)) {
                    log.warn("{} did not end within {} s of shutdown", connection.info(), CLOSE_TIMEOUT.toSeconds());
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        SocketServerStats stats = stats();
        log.info("Socket server closed: {} connections accepted, {} closed for invalid requests, {} still open",
                stats.acceptedConnections(), stats.rejectedConnections(), stats.openConnections());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private String describeBound() {
        return listeners.stream()
                .map(l -> (tlsByListener.containsKey(l.listenerName()) ? "(TLS) " : "") + l.listenerName() + "://" + (isWildcard(l.host()) ? "*" : l.host()) + ":" + boundPorts.get(l.listenerName()))
                .toList().toString();
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Error closing {}: {}", channel, e.toString());
        }
    }
}

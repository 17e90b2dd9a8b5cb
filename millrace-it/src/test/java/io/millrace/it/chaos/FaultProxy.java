package io.millrace.it.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * A TCP proxy on 127.0.0.1 in front of one port of one node: other nodes (and clients) reach the
 * node through it, so {@link NetworkPartitions} can cut the node off by closing its proxies'
 * connections and refusing new ones, and cut the node's own outgoing connections in the other
 * nodes' proxies by their source port.
 *
 * <p>While nothing listens on the node's port (its process was killed, or is restarting) the proxy
 * stops listening too, so a caller's connect is refused as it would be without a proxy (the
 * controller's {@code BrokerExitWatch} relies on that refusal); it listens again on the same port
 * as soon as the node accepts connections.
 *
 * <p>Threads: one virtual acceptor, two virtual copiers per connection. {@link #close()} stops all.
 */
final class FaultProxy implements AutoCloseable {
    /** One proxied connection: the accepted socket (the caller's side) and ours to the node. */
    private record Link(Socket caller, Socket upstream) {
        void close() {
            closeQuietly(caller);
            closeQuietly(upstream);
        }
    }

    private final int nodeId;
    private final int targetPort;
    private final int port;
    private volatile ServerSocket server;
    /** Set when a connect to the node was refused: the acceptor stops listening until the node is back. */
    private volatile boolean nodeDown;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile Admission admission = (caller, node) -> true;
    private volatile boolean closed;

    /** Decides whether a connection from the caller's source port to node {@code nodeId} may pass. */
    interface Admission {
        boolean admits(int callerPort, int nodeId);
    }

    FaultProxy(int nodeId, int targetPort) {
        this.nodeId = nodeId;
        this.targetPort = targetPort;
        try {
            server = listen(0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a proxy for node " + nodeId, e);
        }
        port = server.getLocalPort();
        Thread.ofVirtual().name("fault-proxy-" + nodeId + "-" + port()).start(this::acceptLoop);
    }

    /** The port callers connect to. */
    int port() {
        return port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    int nodeId() {
        return nodeId;
    }

    void setAdmission(Admission admission) {
        this.admission = admission;
    }

    /** Closes every connection whose caller's source port matches (all of them for {@code p -> true}). */
    int cut(IntPredicate callerPort) {
        int cut = 0;
        for (Link link : links) {
            if (callerPort.test(link.caller().getPort())) {
                link.close();
                links.remove(link);
                cut++;
            }
        }
        return cut;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        links.forEach(Link::close);
        links.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket caller;
            try {
                caller = server.accept();
            } catch (IOException e) {
                if (closed || !nodeDown) {
                    return; // closed
                }
                relistenOnceTheNodeIsUp();
                continue;
            }
            if (!admission.admits(caller.getPort(), nodeId)) {
                closeQuietly(caller);
                continue;
            }
            Thread.ofVirtual().start(() -> connect(caller));
        }
    }

    private void connect(Socket caller) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
            caller.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(caller);
            closeQuietly(upstream);
            if (e instanceof ConnectException) { // refused: nothing listens, so stop listening too
                nodeDown = true;
                closeQuietly(server);
            }
            return;
        }
        Link link = new Link(caller, upstream);
        links.add(link);
        Thread.ofVirtual().start(() -> copy(caller, upstream, link));
        copy(upstream, caller, link);
    }

    /** Waits until the node accepts a connection again, then listens on the proxy's port again. */
    private void relistenOnceTheNodeIsUp() {
        while (!closed) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1_000);
                break;
            } catch (IOException e) {
                sleep(50);
            }
        }
        while (!closed) {
            try {
                server = listen(port);
                nodeDown = false;
                if (closed) {
                    closeQuietly(server); // closed meanwhile
                }
                return;
            } catch (IOException e) {
                sleep(50); // the port is briefly taken (e.g. by an outgoing connection): try again
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copy(Socket from, Socket to, Link link) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // either side closed: close both below
        } finally {
            link.close();
            links.remove(link);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing a dead socket
        }
    }
}

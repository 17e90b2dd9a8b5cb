package io.millrace.server.lifecycle;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the active controller see a broker process exit within milliseconds rather than after
 * {@code broker.session.timeout.ms}: this node holds one idle TCP connection to every other
 * registered broker's inter-broker listener. When a process dies the OS closes its sockets: the
 * connection reads EOF or a reset, and a reconnect is refused because nothing listens on the port
 * any more. A refused reconnect (after a connection to that same broker epoch had been
 * established, which proves the address is reachable from here) is evidence that the broker
 * exited; while this node's controller is active it is reported ({@link ExitListener}) and the
 * controller fences the broker at once.
 *
 * <p>The watch runs on every node that can become the active controller, not only the active one,
 * so the controller elected because the previous one's process died already holds the evidence:
 * a standby keeps trying to reconnect to a broker whose listener refused it (once a second); as
 * long as those attempts are refused the exit stands, and it is reported the moment this node's
 * controller becomes active. A successful reconnect withdraws it.
 *
 * <p>What it does not fence: a paused (SIGSTOP) process keeps its sockets, and its kernel still
 * accepts connections, so it is fenced by the session timeout as before; so is a machine that
 * vanished or a network partition (connects time out, they are not refused). A node that has
 * just started has no connections yet: it fences nobody until it has connected once to each
 * broker (the session timeout covers a broker that died before that). An address that is never
 * reachable from here (e.g. advertised for outside clients) never fences anybody.
 *
 * <p>The connection sends nothing; bytes that arrive are discarded. If the broker closes it (it
 * may close idle connections) the watch reconnects, and a successful reconnect means all is well.
 *
 * <p>Threads: one, "broker-exit-watch", runs a selector and owns every connection; it reconciles
 * the watched set with the image every {@value #RECONCILE_INTERVAL_MS} ms. Lifecycle: {@link #start}
 * once, {@link #close} once.
 */
public final class BrokerExitWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerExitWatch.class);
    static final long RECONCILE_INTERVAL_MS = 100;
    static final long CONNECT_TIMEOUT_MS = 1_000;
    static final long RETRY_AFTER_FAILURE_MS = 1_000;

    /** Told on the watch thread that a broker incarnation's process exited. */
    @FunctionalInterface
    public interface ExitListener {
        void exited(int brokerId, long brokerEpoch, String evidence);
    }

    private final int localNodeId;
    private final String listenerName;
    private final Supplier<MetadataImage> image;
    private final BooleanSupplier controllerActive;
    private final ExitListener listener;
    private final Map<Integer, Watch> watches = new HashMap<>(); // watch thread only
    /** The brokers whose exit is seen and not yet reported, for tests; written by the watch thread. */
    private volatile Set<Integer> exitsSeen = Set.of();
    private final Thread thread;
    private final Selector selector;
    private volatile boolean closed;

    /** One broker incarnation being watched. */
    private static final class Watch {
        final int brokerId;
        final long brokerEpoch;
        final InetSocketAddress address;
        SocketChannel channel;
        boolean connected;
        /** Whether a connection to this incarnation was ever established. */
        boolean everConnected;
        long connectStartedMs;
        long retryAtMs;
        /** Whether its listener refused the latest reconnect: the process exited. */
        boolean exitSeen;
        boolean reported;

        Watch(int brokerId, long brokerEpoch, InetSocketAddress address) {
            this.brokerId = brokerId;
            this.brokerEpoch = brokerEpoch;
            this.address = address;
        }
    }

    /**
     * @param listenerName     the listener to connect to (the inter-broker one)
     * @param controllerActive whether this node's controller is the active one now; exits are
     *                         reported only while it is
     */
    public BrokerExitWatch(int localNodeId, String listenerName, Supplier<MetadataImage> image,
                           BooleanSupplier controllerActive, ExitListener listener) {
        this.localNodeId = localNodeId;
        this.listenerName = listenerName;
        this.image = image;
        this.controllerActive = controllerActive;
        this.listener = listener;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a selector", e);
        }
        this.thread = new Thread(this::run, "broker-exit-watch");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        ByteBuffer discard = ByteBuffer.allocate(4096);
        long nextReconcile = 0;
        while (!closed) {
            try {
                long now = nowMs();
                if (now >= nextReconcile) {
                    reconcile(now);
                    nextReconcile = now + RECONCILE_INTERVAL_MS;
                }
                selector.select(Math.max(1, nextReconcile - nowMs()));
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Watch watch = (Watch) key.attachment();
                    if (key.isValid() && key.isConnectable()) {
                        finishConnect(watch, key);
                    } else if (key.isValid() && key.isReadable()) {
                        read(watch, discard);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("Broker exit watch: {}; carrying on", e.toString());
                }
            }
        }
        watches.values().forEach(BrokerExitWatch::disconnect);
        watches.clear();
    }

    /**
     * Watches exactly the registered, not yet fenced, other brokers; while the controller is active,
     * reports the exits seen before it became active.
     */
    private void reconcile(long now) {
        MetadataImage current = image.get();
        watches.values().removeIf(watch -> {
            BrokerImage broker = current.brokers().get(watch.brokerId);
            boolean keep = broker != null && broker.brokerEpoch() == watch.brokerEpoch && watched(broker)
                    && !watch.reported;
            if (!keep) {
                disconnect(watch);
            }
            return !keep;
        });
        for (BrokerImage broker : current.brokers().values()) {
            if (broker.brokerId() == localNodeId || !watched(broker) || watches.containsKey(broker.brokerId())) {
                continue;
            }
            Optional<InetSocketAddress> address = broker.endpoint(listenerName)
                    .map(e -> new InetSocketAddress(e.host(), e.port()));
            address.ifPresent(a -> watches.put(broker.brokerId(), new Watch(broker.brokerId(), broker.brokerEpoch(), a)));
        }
        boolean active = controllerActive.getAsBoolean();
        for (Watch watch : watches.values()) {
            if (active && watch.exitSeen && !watch.reported) {
                report(watch);
            } else if (watch.channel == null && now >= watch.retryAtMs) {
                connect(watch, now);
            } else if (watch.channel != null && !watch.connected && now - watch.connectStartedMs > CONNECT_TIMEOUT_MS) {
                disconnect(watch); // not refused, just slow or unreachable: proves nothing
                watch.retryAtMs = now + RETRY_AFTER_FAILURE_MS;
            }
        }
        publishExitsSeen();
    }

    private static boolean watched(BrokerImage broker) {
        return !broker.fenced() || broker.inControlledShutdown();
    }

    private void connect(Watch watch, long now) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            watch.channel = channel;
            watch.connected = false;
            watch.connectStartedMs = now;
            if (channel.connect(watch.address)) {
                established(watch);
                channel.register(selector, SelectionKey.OP_READ, watch);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, watch);
            }
        } catch (IOException e) {
            refusedOrFailed(watch, e);
        }
    }

    private void finishConnect(Watch watch, SelectionKey key) {
        try {
            if (watch.channel.finishConnect()) {
                established(watch);
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            refusedOrFailed(watch, e);
        }
    }

    private void established(Watch watch) {
        watch.connected = true;
        if (watch.exitSeen) {
            watch.exitSeen = false;
            log.info("Broker {} (epoch {}) accepts connections again at {}; its exit is withdrawn", watch.brokerId,
                    watch.brokerEpoch, watch.address);
        }
        if (!watch.everConnected) {
            watch.everConnected = true;
            log.debug("Watching broker {} (epoch {}) at {}", watch.brokerId, watch.brokerEpoch, watch.address);
        }
    }

    private void read(Watch watch, ByteBuffer discard) {
        int n;
        try {
            discard.clear();
            n = watch.channel.read(discard);
        } catch (IOException e) {
            n = -1; // reset by peer
        }
        if (n < 0) {
            // closed: a dead process, or the broker closed an idle connection; a reconnect tells which
            disconnect(watch);
            connect(watch, nowMs());
        }
    }

    private void refusedOrFailed(Watch watch, IOException e) {
        disconnect(watch);
        if (e instanceof ConnectException && watch.everConnected && !watch.reported) {
            if (!watch.exitSeen) {
                watch.exitSeen = true;
                log.info("Broker {} (epoch {}) exited: its listener {}:{} refused a connection", watch.brokerId,
                        watch.brokerEpoch, watch.address.getHostString(), watch.address.getPort());
            }
            if (controllerActive.getAsBoolean()) {
                report(watch);
                return;
            }
        }
        watch.retryAtMs = nowMs() + RETRY_AFTER_FAILURE_MS;
    }

    private void report(Watch watch) {
        watch.reported = true;
        String evidence = "its listener " + watch.address.getHostString() + ":" + watch.address.getPort()
                + " refused a connection";
        listener.exited(watch.brokerId, watch.brokerEpoch, evidence);
    }

    private void publishExitsSeen() {
        Set<Integer> seen = new HashSet<>();
        watches.values().stream().filter(w -> w.exitSeen && !w.reported).forEach(w -> seen.add(w.brokerId));
        if (!seen.equals(exitsSeen)) {
            exitsSeen = Set.copyOf(seen);
        }
    }

    /** The brokers whose exit this watch has seen and not reported (as of its last pass); any thread. */
    Set<Integer> exitsSeen() {
        return exitsSeen;
    }

    private static void disconnect(Watch watch) {
        if (watch.channel != null) {
            try {
                watch.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            watch.channel = null;
        }
        watch.connected = false;
    }

    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

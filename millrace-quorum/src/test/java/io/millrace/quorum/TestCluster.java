package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.fail;

import io.millrace.metadata.log.MetadataPublisher;
import io.millrace.metadata.records.MetadataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.NotControllerException;

/** In-process voters on 127.0.0.1 free ports, each with its own publisher and tiny controller. */
final class TestCluster implements AutoCloseable {
    final Map<Integer, InetSocketAddress> voters = new TreeMap<>();
    final Map<Integer, Node> nodes = new TreeMap<>();
    private final Path root;
    private final long snapshotThreshold;
    private final String clusterId = "test-cluster";
    /** The TLS each node starts with (null: plaintext); a test may change it before restarting a node. */
    java.util.function.IntFunction<QuorumTls> tls = id -> null;

    record Node(int id, MetadataQuorum quorum, MetadataPublisher publisher, TinyController controller) {
    }

    TestCluster(Path root, int size, long snapshotThreshold) {
        this.root = root;
        this.snapshotThreshold = snapshotThreshold;
        for (int id = 1; id <= size; id++) {
            voters.put(id, new InetSocketAddress("127.0.0.1", freePort()));
        }
    }

    void startAll() {
        for (int id : voters.keySet()) {
            start(id);
        }
    }

    Node start(int id) {
        awaitPortFree(voters.get(id));
        QuorumConfig config = new QuorumConfig(id, voters, root.resolve("node-" + id), clusterId,
                voters.containsKey(id), snapshotThreshold);
        MetadataPublisher publisher = new MetadataPublisher();
        MetadataQuorum quorum = new MetadataQuorum(config, publisher, null, tls.apply(id));
        try {
            quorum.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TinyController controller = new TinyController(id, quorum, publisher);
        quorum.setLocalController(controller);
        Node node = new Node(id, quorum, publisher, controller);
        nodes.put(id, node);
        return node;
    }

    /** A broker-only node: not a voter, follows the leader remotely. */
    Node startObserver(int id) {
        QuorumConfig config = new QuorumConfig(id, voters, root.resolve("node-" + id), clusterId, false,
                snapshotThreshold);
        MetadataPublisher publisher = new MetadataPublisher();
        MetadataQuorum quorum = new MetadataQuorum(config, publisher);
        try {
            quorum.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Node node = new Node(id, quorum, publisher, null);
        nodes.put(id, node);
        return node;
    }

    void stop(int id) {
        Node node = nodes.remove(id);
        if (node != null) {
            node.quorum().close();
            if (node.controller() != null) {
                node.controller().close();
            }
        }
    }

    Node awaitActive() {
        Node[] active = new Node[1];
        await(Duration.ofSeconds(15), "an active controller", () -> {
            for (Node node : nodes.values()) {
                if (node.quorum().isActive()) {
                    active[0] = node;
                    return true;
                }
            }
            return false;
        });
        return active[0];
    }

    /**
     * Appends at whichever node is active, again at the next one if leadership moved meanwhile
     * (a loaded machine may flap), unless the batch made it anyway ({@code applied} says so).
     */
    Node appendAtLeader(List<MetadataRecord> records, java.util.function.Predicate<Node> applied) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Node leader = awaitActive();
            try {
                leader.quorum().append(records).get(10, TimeUnit.SECONDS);
                return leader;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof NotControllerException) || System.nanoTime() > deadline) {
                    throw new AssertionError(e);
                }
                if (applied.test(leader)) {
                    return leader;
                }
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(e);
            }
        }
    }

    List<Node> others(Node node) {
        List<Node> list = new ArrayList<>(nodes.values());
        list.remove(node);
        return list;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** A restarted node binds its old port: wait until the stopped server has let go of it. */
    private static void awaitPortFree(InetSocketAddress address) {
        if (address == null) {
            return;
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.getPort()));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("Port " + address.getPort() + " is still in use", e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int id : new ArrayList<>(nodes.keySet())) {
            stop(id);
        }
    }
}

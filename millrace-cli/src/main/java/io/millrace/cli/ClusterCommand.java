package io.millrace.cli;

import io.millrace.common.config.BrokerConfig;
import io.millrace.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code millrace cluster --nodes N}: a local cluster of N nodes, each its own JVM
 * ({@link NodeProcess}), data under {@code <data dir>/node-N}, one shared cluster.id kept in
 * {@code <data dir>/cluster.id}. Writes each node's server.properties ({@link ClusterLayout}),
 * starts the nodes, waits until each accepts connections, prints the bootstrap servers and runs
 * until told to stop (SIGINT, SIGTERM): then it sends SIGTERM to every node (their controlled
 * shutdown), waits up to {@link #STOP_TIMEOUT} and kills what is left.
 *
 * <p>Threads: the calling (main) thread starts the nodes and watches them; a shutdown hook thread,
 * {@code millrace-cluster-shutdown}, stops them. A node that exits by itself is reported and the
 * others keep running; when none is left the command ends with exit code 1.
 */
final class ClusterCommand {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final long WATCH_INTERVAL_MS = 250;

    private final Consumer<Thread> shutdownHooks;
    private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** @param shutdownHooks registers the stop thread ({@code Runtime.getRuntime()::addShutdownHook}) */
    ClusterCommand(Consumer<Thread> shutdownHooks) {
        this.shutdownHooks = shutdownHooks;
    }

    /** True once a stop was requested; the JVM is then exiting by itself. */
    boolean stopRequested() {
        return stopping.get();
    }

    /** Runs the cluster; returns the exit code once it has stopped or failed to start. */
    int run(ClusterArgs args, PrintStream out, PrintStream err) {
        ClusterLayout layout;
        try {
            Path dataRoot = args.dataDir().toAbsolutePath().normalize();
            layout = ClusterLayout.local(args.nodes(), dataRoot, ClusterId.loadOrCreate(dataRoot), args.overrides());
            for (int id = 1; id <= layout.nodes(); id++) {
                // A bad or unsupported override fails here, once; each node logs its own warnings.
                BrokerConfig.fromProperties(layout.nodeProperties(id), warning -> { });
            }
            requireFreePorts(layout);
            for (int id = 1; id <= layout.nodes(); id++) {
                Files.createDirectories(layout.nodeDir(id));
                Files.writeString(layout.propertiesFile(id), layout.propertiesText(id), StandardCharsets.UTF_8);
            }
        } catch (ConfigException e) {
            err.println("millrace cluster: " + e.getMessage());
            return ServerCommand.FAILED;
        } catch (IOException e) {
            err.println("millrace cluster: " + ServerCommand.describe(e));
            return ServerCommand.FAILED;
        }
        shutdownHooks.accept(new Thread(() -> stopAll(out), "millrace-cluster-shutdown"));
        try {
            for (int id = 1; id <= layout.nodes() && !stopping.get(); id++) {
                nodes.add(NodeProcess.start(id, layout.propertiesFile(id), layout.nodeDir(id).resolve("server.log"),
                        out));
            }
            String failure = awaitListening(layout);
            if (failure != null) {
                err.println("millrace cluster: " + failure);
                stopAll(out);
                return ServerCommand.FAILED;
            }
            if (stopping.get()) {
                return ServerCommand.OK;
            }
            out.println("Millrace cluster of " + layout.nodes() + (layout.nodes() == 1 ? " node" : " nodes")
                    + " is up. bootstrap.servers=" + layout.bootstrapServers());
            out.println("Data and logs under " + layout.dataRoot() + "/node-N (server.properties, server.log);"
                    + " Ctrl-C stops the cluster.");
            return watch(out);
        } catch (IOException e) {
            err.println("millrace cluster: cannot start a node: " + ServerCommand.describe(e));
            stopAll(out);
            return ServerCommand.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll(out);
            return ServerCommand.FAILED;
        }
    }

    /** Null once every node accepts connections, else why not (a node exited, or the deadline). */
    private String awaitListening(ClusterLayout layout) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (NodeProcess node : nodes) {
            int port = layout.port(node.nodeId());
            while (!accepts(layout.host(), port)) {
                if (stopping.get()) {
                    return null;
                }
                if (!node.isAlive()) {
                    return "node-" + node.nodeId() + " exited with code " + node.exitValue()
                            + " while starting; see " + layout.nodeDir(node.nodeId()).resolve("server.log");
                }
                if (System.nanoTime() - deadline > 0) {
                    return "node-" + node.nodeId() + " did not accept connections on port " + port + " within "
                            + START_TIMEOUT.toSeconds() + " s";
                }
                Thread.sleep(100);
            }
        }
        return null;
    }

    /** Reports nodes that exit by themselves; returns when a stop began or none is left. */
    private int watch(PrintStream out) throws InterruptedException {
        List<NodeProcess> reported = new CopyOnWriteArrayList<>();
        while (!stopping.get()) {
            for (NodeProcess node : nodes) {
                if (!node.isAlive() && !reported.contains(node) && !stopping.get()) {
                    reported.add(node);
                    out.println("[cluster] node-" + node.nodeId() + " (pid " + node.pid() + ") exited with code "
                            + node.exitValue() + "; the others keep running");
                }
            }
            if (reported.size() == nodes.size()) {
                return ServerCommand.FAILED;
            }
            Thread.sleep(WATCH_INTERVAL_MS);
        }
        return ServerCommand.OK;
    }

    /** SIGTERM to every node at once, wait up to STOP_TIMEOUT in all, SIGKILL the rest. Runs once. */
    private void stopAll(PrintStream out) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        List<NodeProcess> running = nodes.stream().filter(NodeProcess::isAlive).toList();
        if (running.isEmpty()) {
            return;
        }
        out.println("[cluster] stopping " + running.size() + " node(s) (SIGTERM)...");
        running.forEach(NodeProcess::terminate);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (NodeProcess node : running) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (node.awaitExit(left)) {
                    out.println("[cluster] node-" + node.nodeId() + " stopped (exit code " + node.exitValue() + ")");
                } else {
                    out.println("[cluster] node-" + node.nodeId() + " did not stop within " + STOP_TIMEOUT.toSeconds()
                            + " s: killing it (SIGKILL)");
                    node.kill();
                    node.awaitExit(KILL_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(NodeProcess::kill);
        }
    }

    /** Fails with a clear message when a port the cluster needs is taken. */
    private static void requireFreePorts(ClusterLayout layout) throws IOException {
        for (int id = 1; id <= layout.nodes(); id++) {
            for (int port : new int[] {layout.port(id), layout.controllerPort(id)}) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(layout.host(), port));
                } catch (IOException e) {
                    throw new IOException("port " + port + " (node-" + id + ") is in use: is another broker running?",
                            e);
                }
            }
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

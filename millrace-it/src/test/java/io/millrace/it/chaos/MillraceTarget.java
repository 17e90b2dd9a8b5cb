package io.millrace.it.chaos;

import io.millrace.it.BrokerProcess;
import io.millrace.it.ClusterHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Three Millrace nodes, each a {@link BrokerProcess}, every one broker and controller. Each node
 * binds its client and controller listeners on ports of its own, while what it advertises (to
 * clients and replica fetchers) and what the others have in controller.quorum.voters are the
 * ports of its {@link FaultProxy proxies}: all traffic between nodes passes a proxy.
 */
final class MillraceTarget implements Target {
    private final NetworkPartitions network = new NetworkPartitions();
    private final Map<Integer, BrokerProcess> nodes = new TreeMap<>();
    private final Map<Integer, Integer> clientProxyPorts = new TreeMap<>();
    private final Map<Integer, LogDisk> disks = new TreeMap<>();

    /**
     * Starts the nodes with data under {@code dir}; {@code extraProps} go to every node; their
     * output goes to {@code target/broker-logs/chaos-<run>-millrace-node-<id>.log}. The nodes run
     * with the JVM's defaults, as Kafka's nodes do in the long run's comparison.
     */
    MillraceTarget(String run, Path dir, int count, Map<String, String> extraProps, boolean tmpfsLogDirs) {
        this(run, dir, count, extraProps, tmpfsLogDirs, List.of());
    }

    /** As above, the node JVMs given {@code jvmOptions} (e.g. {@link BrokerProcess#testJvmOptions()}). */
    MillraceTarget(String run, Path dir, int count, Map<String, String> extraProps, boolean tmpfsLogDirs,
                   List<String> jvmOptions) {
        Map<Integer, Integer> ports = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        StringJoiner voters = new StringJoiner(",");
        for (int id = 1; id <= count; id++) {
            ports.put(id, freePort());
            controllerPorts.put(id, freePort());
            clientProxyPorts.put(id, network.proxy(id, ports.get(id)));
            voters.add(id + "@127.0.0.1:" + network.proxy(id, controllerPorts.get(id)));
        }
        String clusterId = ChaosIds.clusterId();
        for (int id = 1; id <= count; id++) {
            Path nodeDir = dir.resolve("node-" + id).toAbsolutePath();
            Path logs = nodeDir.resolve("logs");
            if (tmpfsLogDirs) {
                LogDisk disk = LogDisk.mount(logs, 256);
                if (disk != null) {
                    disks.put(id, disk);
                }
            }
            Map<String, String> props = ClusterHarness.baseProperties(count);
            props.put("node.id", String.valueOf(id));
            props.put("cluster.id", clusterId);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id) + ",CONTROLLER://127.0.0.1:"
                    + controllerPorts.get(id));
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientProxyPorts.get(id));
            props.put("controller.quorum.voters", voters.toString());
            props.put("log.dirs", logs.toString());
            props.put("metadata.log.dir", nodeDir.resolve("metadata").toString());
            props.putAll(extraProps);
            Path log = Path.of("target", "broker-logs", "chaos-" + run + "-millrace-node-" + id + ".log");
            nodes.put(id, BrokerProcess.unstarted(nodeDir.resolve("data"), log, props, ports.get(id), jvmOptions));
        }
        try {
            start(nodes.keySet());
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "millrace";
    }

    @Override
    public String bootstrapServers() {
        return clientProxyPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    @Override
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    @Override
    public boolean isRunning(int nodeId) {
        return nodes.get(nodeId).isAlive();
    }

    @Override
    public long pid(int nodeId) {
        return nodes.get(nodeId).pid();
    }

    @Override
    public void kill9(int nodeId) {
        nodes.get(nodeId).kill9();
    }

    @Override
    public void terminate(int nodeId) {
        nodes.get(nodeId).stopGracefully();
    }

    @Override
    public void start(Collection<Integer> nodeIds) {
        List<BrokerProcess> starting = new ArrayList<>();
        for (int id : nodeIds) {
            nodes.get(id).spawn();
            starting.add(nodes.get(id));
        }
        starting.forEach(BrokerProcess::awaitStarted);
    }

    @Override
    public NetworkPartitions network() {
        return network;
    }

    @Override
    public Optional<LogDisk> logDisk(int nodeId) {
        return Optional.ofNullable(disks.get(nodeId));
    }

    @Override
    public Path logFile(int nodeId) {
        return nodes.get(nodeId).logFile();
    }

    @Override
    public void close() {
        nodes.values().forEach(BrokerProcess::close);
        network.close();
        disks.values().forEach(LogDisk::close);
    }

    static int freePort() {
        return io.millrace.it.FreePorts.next();
    }
}

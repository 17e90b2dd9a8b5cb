package io.millrace.it.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Three Apache Kafka 4.4 nodes (KRaft, each broker and controller, a static quorum), wired
 * through {@link FaultProxy proxies} exactly as {@link MillraceTarget} is, so the same workload
 * and faults run against both. Kafka's jars come from {@code millrace-bench/target/kafka-lib}
 * (the {@code bench} profile copies them there from Maven Central; {@code ./millrace chaos
 * --kafka} builds it), or {@code -Dchaos.kafka.lib}.
 */
final class KafkaTarget implements Target {
    private final NetworkPartitions network = new NetworkPartitions();
    private final Map<Integer, KafkaNode> nodes = new TreeMap<>();
    private final Map<Integer, Integer> clientProxyPorts = new TreeMap<>();
    private final Map<Integer, LogDisk> disks = new TreeMap<>();

    /** The directory of Kafka's jars, or empty when they are not there. */
    static Optional<Path> kafkaLib() {
        Path lib = Path.of(System.getProperty("chaos.kafka.lib", "../millrace-bench/target/kafka-lib"));
        return Files.isDirectory(lib) ? Optional.of(lib) : Optional.empty();
    }

    KafkaTarget(String run, Path kafkaLib, Path dir, int count, Map<String, String> timings, boolean tmpfsLogDirs) throws Exception {
        Map<Integer, Integer> ports = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        StringJoiner voters = new StringJoiner(",");
        for (int id = 1; id <= count; id++) {
            ports.put(id, MillraceTarget.freePort());
            controllerPorts.put(id, MillraceTarget.freePort());
            clientProxyPorts.put(id, network.proxy(id, ports.get(id)));
            voters.add(id + "@127.0.0.1:" + network.proxy(id, controllerPorts.get(id)));
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            for (int id = 1; id <= count; id++) {
                Path nodeDir = dir.resolve("node-" + id).toAbsolutePath();
                Path logs = nodeDir.resolve("logs");
                if (tmpfsLogDirs) {
                    LogDisk disk = LogDisk.mount(logs, 256);
                    if (disk != null) {
                        disks.put(id, disk);
                    }
                }
                StringBuilder props = new StringBuilder();
                Map<String, String> p = new TreeMap<>();
                p.put("process.roles", "broker,controller");
                p.put("node.id", String.valueOf(id));
                p.put("controller.quorum.voters", voters.toString());
                p.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id) + ",CONTROLLER://127.0.0.1:"
                        + controllerPorts.get(id));
                p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientProxyPorts.get(id));
                p.put("controller.listener.names", "CONTROLLER");
                p.put("inter.broker.listener.name", "PLAINTEXT");
                p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
                p.put("log.dirs", logs.toString());
                p.put("metadata.log.dir", nodeDir.resolve("metadata").toString());
                p.put("num.partitions", "1");
                p.put("default.replication.factor", "3");
                p.put("offsets.topic.replication.factor", "3");
                p.put("offsets.topic.num.partitions", "3");
                p.put("transaction.state.log.replication.factor", "3");
                p.put("transaction.state.log.min.isr", "2");
                p.put("share.coordinator.state.topic.replication.factor", "3");
                p.put("share.coordinator.state.topic.min.isr", "2");
                p.put("group.initial.rebalance.delay.ms", "0");
                p.put("unclean.leader.election.enable", "false");
                p.put("auto.leader.rebalance.enable", "false");
                p.putAll(timings);
                p.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
                Path log = Path.of("target", "broker-logs", "chaos-" + run + "-kafka-node-" + id + ".log");
                KafkaNode node = new KafkaNode(kafkaLib, nodeDir, props.toString(), ports.get(id), log);
                node.format(clusterId);
                nodes.put(id, node);
            }
            start(nodes.keySet());
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "kafka";
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
        nodes.get(nodeId).terminate();
    }

    @Override
    public void start(Collection<Integer> nodeIds) {
        List<KafkaNode> starting = new ArrayList<>();
        for (int id : nodeIds) {
            nodes.get(id).spawn();
            starting.add(nodes.get(id));
        }
        starting.forEach(KafkaNode::awaitStarted);
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
        nodes.values().forEach(KafkaNode::close);
        network.close();
        disks.values().forEach(LogDisk::close);
    }
}

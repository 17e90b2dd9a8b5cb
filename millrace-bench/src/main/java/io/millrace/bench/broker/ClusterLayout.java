package io.millrace.bench.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The ports and the shared {@code server.properties} of an N-node cluster on 127.0.0.1, written
 * with Apache Kafka's keys only, so Millrace and Kafka nodes run from the same text: every node
 * broker and controller, a static voter set ({@code controller.quorum.voters}), replication
 * factor 3 and {@code min.insync.replicas=2} by default. Immutable.
 *
 * @param clientPorts     node i+1's PLAINTEXT port at index i
 * @param controllerPorts node i+1's CONTROLLER port at index i
 */
public record ClusterLayout(List<Integer> clientPorts, List<Integer> controllerPorts) {

    /** Free ports for {@code nodes} nodes. */
    public static ClusterLayout allocate(int nodes) {
        List<Integer> clients = new ArrayList<>();
        List<Integer> controllers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            clients.add(BrokerLauncher.freePort());
            controllers.add(BrokerLauncher.freePort());
        }
        return new ClusterLayout(List.copyOf(clients), List.copyOf(controllers));
    }

    public int nodes() {
        return clientPorts.size();
    }

    /** {@code host:port} of every node's PLAINTEXT listener, comma-separated. */
    public String bootstrap() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The {@code server.properties} of node {@code nodeId} (1-based) with its data in {@code dataDir}. */
    public String serverProperties(int nodeId, Path dataDir) {
        String voters = IntStream.range(0, nodes())
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i)).collect(Collectors.joining(","));
        int replicas = Math.min(3, nodes());
        return """
                node.id=%1$d
                process.roles=broker,controller
                listeners=PLAINTEXT://127.0.0.1:%2$d,CONTROLLER://127.0.0.1:%3$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%2$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                controller.quorum.voters=%4$s
                log.dirs=%5$s
                default.replication.factor=%6$d
                min.insync.replicas=%7$d
                offsets.topic.replication.factor=%6$d
                group.initial.rebalance.delay.ms=0
                """.formatted(nodeId, clientPorts.get(nodeId - 1), controllerPorts.get(nodeId - 1), voters, dataDir,
                replicas, Math.min(2, replicas));
    }
}

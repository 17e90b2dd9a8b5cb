package io.millrace.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where each node of a local cluster listens and keeps its data, and the server.properties that
 * says so. Node {@code N} (1-based) serves clients on {@code firstPort + N - 1} and the controller
 * quorum on {@code firstControllerPort + N - 1}; its data is {@code dataRoot/node-N}. Every node
 * is broker and controller, and every node is a voter. An immutable value; pure functions.
 *
 * @param nodes               how many nodes (1 or more)
 * @param host                the address every listener binds and advertises
 * @param firstPort           node 1's PLAINTEXT port
 * @param firstControllerPort node 1's CONTROLLER port
 * @param dataRoot            the directory holding the node directories (absolute in practice)
 * @param clusterId           the cluster.id every node shares
 * @param overrides           keys set on every node on top of the generated ones
 */
record ClusterLayout(int nodes, String host, int firstPort, int firstControllerPort, Path dataRoot, String clusterId,
                     Map<String, String> overrides) {

    static final String HOST = "127.0.0.1";
    static final int FIRST_PORT = 9092;
    static final int FIRST_CONTROLLER_PORT = 19092;

    ClusterLayout {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1: " + nodes);
        }
        overrides = Map.copyOf(overrides);
    }

    /** The layout {@code ./millrace cluster} uses: loopback, ports 9092... and 19092.... */
    static ClusterLayout local(int nodes, Path dataRoot, String clusterId, Map<String, String> overrides) {
        return new ClusterLayout(nodes, HOST, FIRST_PORT, FIRST_CONTROLLER_PORT, dataRoot, clusterId, overrides);
    }

    int port(int nodeId) {
        return firstPort + index(nodeId);
    }

    int controllerPort(int nodeId) {
        return firstControllerPort + index(nodeId);
    }

    Path nodeDir(int nodeId) {
        index(nodeId);
        return dataRoot.resolve("node-" + nodeId);
    }

    Path propertiesFile(int nodeId) {
        return nodeDir(nodeId).resolve("server.properties");
    }

    /** host:port of every node's PLAINTEXT listener, comma-separated, node 1 first. */
    String bootstrapServers() {
        return IntStream.rangeClosed(1, nodes).mapToObj(id -> host + ":" + port(id)).collect(Collectors.joining(","));
    }

    /** controller.quorum.voters: {@code 1@host:port,2@host:port,...}. */
    String quorumVoters() {
        StringJoiner voters = new StringJoiner(",");
        for (int id = 1; id <= nodes; id++) {
            voters.add(id + "@" + host + ":" + controllerPort(id));
        }
        return voters.toString();
    }

    /** The configuration of node {@code nodeId}, in the order it is written to its file. */
    Map<String, String> nodeProperties(int nodeId) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", String.valueOf(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("cluster.id", clusterId);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port(nodeId) + ",CONTROLLER://" + host + ":"
                + controllerPort(nodeId));
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port(nodeId));
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", quorumVoters());
        props.put("log.dirs", nodeDir(nodeId).toString());
        int replicas = Math.min(3, nodes);
        props.put("default.replication.factor", String.valueOf(replicas));
        props.put("min.insync.replicas", String.valueOf(Math.min(2, replicas)));
        props.put("offsets.topic.replication.factor", String.valueOf(replicas));
        props.putAll(overrides);
        return props;
    }

    /** The text of node {@code nodeId}'s server.properties file. */
    String propertiesText(int nodeId) {
        StringBuilder text = new StringBuilder()
                .append("# Node ").append(nodeId).append(" of a local ").append(nodes)
                .append("-node Millrace cluster, written by `millrace cluster` at every start\n")
                .append("# (edits are lost; pass --override key=value instead, or run the node yourself with\n")
                .append("# `millrace server --config ").append(propertiesFile(nodeId)).append("`).\n");
        nodeProperties(nodeId).forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        return text.toString();
    }

    private int index(int nodeId) {
        if (nodeId < 1 || nodeId > nodes) {
            throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + nodes);
        }
        return nodeId - 1;
    }

    /** java.util.Properties escapes: backslashes (Windows paths) and leading spaces survive a load. */
    private static String escape(String value) {
        String escaped = value.replace("\\", "\\\\");
        return escaped.startsWith(" ") ? "\\" + escaped : escaped;
    }
}

package io.millrace.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code server.properties} of each embedded node, in Apache Kafka's keys: the test
 * defaults, then the user's keys over them. Stateless.
 */
final class NodeConfigs {
    private NodeConfigs() {
    }

    /**
     * One map per node (node ids 1..count). A single node needs no quorum settings and binds
     * {@code clientPorts.get(0)} (0: any free port); a cluster's nodes are all voters.
     */
    static List<Map<String, String>> of(int count, Path root, List<Integer> clientPorts, List<Integer> controllerPorts,
                                        Map<String, String> overrides) {
        List<Map<String, String>> configs = new ArrayList<>();
        String voters = IntStream.rangeClosed(1, count)
                .mapToObj(id -> id + "@127.0.0.1:" + controllerPorts.get(id - 1)).collect(Collectors.joining(","));
        int replicas = Math.min(3, count);
        for (int id = 1; id <= count; id++) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("node.id", String.valueOf(id));
            props.put("log.dirs", root.resolve("node-" + id).toAbsolutePath().toString());
            props.put("num.partitions", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            if (count == 1) {
                props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPorts.get(0));
            } else {
                props.put("process.roles", "broker,controller");
                props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPorts.get(id - 1)
                        + ",CONTROLLER://127.0.0.1:" + controllerPorts.get(id - 1));
                props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPorts.get(id - 1));
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("controller.listener.names", "CONTROLLER");
                props.put("inter.broker.listener.name", "PLAINTEXT");
                props.put("controller.quorum.voters", voters);
                props.put("broker.heartbeat.interval.ms", "250");
                props.put("broker.session.timeout.ms", "2000");
                props.put("replica.lag.time.max.ms", "2000");
                props.put("default.replication.factor", String.valueOf(replicas));
                props.put("offsets.topic.replication.factor", String.valueOf(replicas));
                props.put("transaction.state.log.replication.factor", String.valueOf(replicas));
                props.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, replicas)));
            }
            props.putAll(overrides);
            configs.add(Map.copyOf(props));
        }
        return configs;
    }
}

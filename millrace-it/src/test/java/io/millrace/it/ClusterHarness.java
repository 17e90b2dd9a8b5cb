package io.millrace.it;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A Millrace cluster of N nodes on 127.0.0.1, each a {@link BrokerProcess} (its own OS process),
 * every node broker and controller and every node a voter of the metadata quorum. Ports (client
 * and controller) are chosen once per node and kept across restarts, as is each node's data
 * directory {@code <dir>/node-N}; output goes to {@code target/broker-logs/<name>-node-N.log}.
 * Timings are test-friendly: heartbeats every 250 ms, a broker fenced after 2 s without one, a
 * follower out of the ISR after 2 s behind.
 *
 * <p>Not thread-safe: one test thread drives it. {@link #close()} kills (SIGKILL, by pid) every
 * node it started that still runs.
 */
public final class ClusterHarness implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Map<Integer, BrokerProcess> nodes;
    private final Map<Integer, Integer> ports;
    private Admin admin;

    private ClusterHarness(Map<Integer, BrokerProcess> nodes, Map<Integer, Integer> ports) {
        this.nodes = nodes;
        this.ports = ports;
    }

    /**
     * Starts {@code count} nodes (ids 1..count) with data under {@code dir}; {@code extraProps}
     * is set on every node on top of {@link #baseProperties}. Returns once every node answers
     * and every node is registered (describeCluster lists them all).
     */
    public static ClusterHarness start(String name, int count, Path dir, Map<String, String> extraProps) {
        for (int attempt = 1; ; attempt++) {
            ClusterHarness cluster = create(name, count, attempt == 1 ? dir : dir.resolve("retry"), extraProps, Map.of());
            try {
                cluster.start(cluster.nodes.keySet());
                return cluster;
            } catch (RuntimeException | AssertionError e) {
                cluster.close();
                // Ports are chosen before the processes bind them; another process may take one
                // in between. That says nothing about Millrace: try once more on fresh ports.
                if (attempt > 1 || !cluster.aPortWasTaken()) {
                    throw e;
                }
                System.err.println("ClusterHarness " + name + ": a port was taken by another process; "
                        + "starting again on fresh ports");
            }
        }
    }

    private boolean aPortWasTaken() {
        return nodes.values().stream().map(node -> node.logTail(200))
                .anyMatch(tail -> tail.contains("Address already in use") || tail.contains("BindException"));
    }

    /**
     * The nodes of {@link #start(String, int, Path, Map)}, not started: start them with
     * {@link #start(Collection)} or each {@link BrokerProcess#spawn()}. {@code nodeProps} sets keys
     * on single nodes on top of {@code extraProps}, with {@code {port}} and {@code {controller.port}}
     * in a value replaced by the node's ports; an empty value (in either map) removes the key,
     * e.g. {@code cluster.id}, which every node otherwise gets, the same on all.
     */
    public static ClusterHarness create(String name, int count, Path dir, Map<String, String> extraProps,
                                        Map<Integer, Map<String, String>> nodeProps) {
        Map<Integer, Integer> ports = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        for (int id = 1; id <= count; id++) {
            ports.put(id, BrokerProcess.freePort());
            controllerPorts.put(id, BrokerProcess.freePort());
        }
        StringJoiner voters = new StringJoiner(",");
        controllerPorts.forEach((id, port) -> voters.add(id + "@127.0.0.1:" + port));
        String clusterId = randomClusterId();
        Map<Integer, BrokerProcess> nodes = new TreeMap<>();
        for (int id = 1; id <= count; id++) {
            Path data = dir.resolve("node-" + id).toAbsolutePath();
            Map<String, String> props = baseProperties(count);
            props.put("node.id", String.valueOf(id));
            props.put("cluster.id", clusterId);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id) + ",CONTROLLER://127.0.0.1:"
                    + controllerPorts.get(id));
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id));
            props.put("controller.quorum.voters", voters.toString());
            props.put("log.dirs", data.toString());
            props.putAll(extraProps);
            int port = ports.get(id);
            int controllerPort = controllerPorts.get(id);
            nodeProps.getOrDefault(id, Map.of()).forEach((key, value) -> {
                if (value.isEmpty()) {
                    props.remove(key);
                } else {
                    props.put(key, value.replace("{port}", String.valueOf(port))
                            .replace("{controller.port}", String.valueOf(controllerPort)));
                }
            });
            props.values().removeIf(String::isEmpty);
            Path log = Path.of("target", "broker-logs", name + "-node-" + id + ".log");
            nodes.put(id, BrokerProcess.unstarted(data, log, props, ports.get(id), BrokerProcess.testJvmOptions()));
        }
        return new ClusterHarness(nodes, ports);
    }

    /** The keys every node gets (node-specific ones aside); a test's extra properties win. */
    public static Map<String, String> baseProperties(int count) {
        int replicas = Math.min(3, count);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("broker.heartbeat.interval.ms", "250");
        props.put("broker.session.timeout.ms", "2000");
        props.put("replica.lag.time.max.ms", "2000");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", String.valueOf(replicas));
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", String.valueOf(replicas));
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", String.valueOf(replicas));
        props.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, replicas)));
        props.put("transaction.state.log.num.partitions", "3");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("unclean.leader.election.enable", "false");
        props.put("auto.leader.rebalance.enable", "false");
        return props;
    }

    /** host:port of every node, running or not, node 1 first. */
    public String bootstrapServers() {
        return ports.values().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** host:port of one node. */
    public String bootstrap(int nodeId) {
        return node(nodeId).bootstrap();
    }

    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public List<Integer> runningNodes() {
        return nodes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    public boolean isRunning(int nodeId) {
        return node(nodeId).isAlive();
    }

    public BrokerProcess node(int nodeId) {
        BrokerProcess node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("No node " + nodeId + " in " + nodes.keySet());
        }
        return node;
    }

    /** Every node's process, e.g. for {@link BrokerLogOnFailure#watch}. */
    public Collection<BrokerProcess> processes() {
        return List.copyOf(nodes.values());
    }

    /** An admin client on every node, owned by the harness (closed by {@link #close()}). */
    public Admin admin() {
        if (admin == null) {
            admin = Clients.admin(bootstrapServers());
        }
        return admin;
    }

    /** SIGKILL node {@code nodeId} and wait for the process to exit. */
    public void kill9(int nodeId) {
        node(nodeId).kill9();
    }

    /** SIGTERM (controlled shutdown) and wait up to 30 s for the exit; returns the exit code. */
    public int stop(int nodeId) {
        return node(nodeId).stopGracefully();
    }

    /** Starts a stopped node again on the same ports and data; returns once it is registered. */
    public void start(int nodeId) {
        start(List.of(nodeId));
    }

    /**
     * Starts the given stopped nodes at once (so a quorum can form among them), waits until each
     * answers and until describeCluster lists every running node.
     */
    public void start(Collection<Integer> nodeIds) {
        List<BrokerProcess> starting = new ArrayList<>();
        for (int id : nodeIds) {
            BrokerProcess node = node(id);
            node.spawn();
            starting.add(node);
        }
        starting.forEach(BrokerProcess::awaitStarted);
        awaitRegistered(Set.copyOf(runningNodes()), START_TIMEOUT);
    }

    /** Stops every running node with SIGTERM, one after the other, highest id first. */
    public void stopAll() {
        List<Integer> running = new ArrayList<>(runningNodes());
        running.sort(null);
        for (int i = running.size() - 1; i >= 0; i--) {
            stop(running.get(i));
        }
    }

    /** Waits until describeCluster (answered by any running node) lists exactly {@code ids}. */
    public void awaitRegistered(Set<Integer> ids, Duration timeout) {
        Await.until("describeCluster lists nodes " + ids, timeout, () -> {
            Set<Integer> listed = Clients.get(admin().describeCluster().nodes()).stream().map(Node::id)
                    .collect(Collectors.toSet());
            return listed.equals(ids);
        });
    }

    /** The partition as the cluster describes it now (any node may answer). */
    public TopicPartitionInfo describe(Admin admin, String topic, int partition) {
        TopicDescription description = Clients.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        return description.partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .orElseThrow(() -> new AssertionError("No partition " + partition + " in " + description));
    }

    /** The partition's leader id, or -1 when it has none. */
    public int leaderOf(Admin admin, String topic, int partition) {
        Node leader = describe(admin, topic, partition).leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    public List<Integer> isrOf(Admin admin, String topic, int partition) {
        return describe(admin, topic, partition).isr().stream().map(Node::id).toList();
    }

    public List<Integer> replicasOf(Admin admin, String topic, int partition) {
        return describe(admin, topic, partition).replicas().stream().map(Node::id).toList();
    }

    /** Waits until the partition's ISR has {@code size} members; returns them. */
    public List<Integer> awaitIsr(Admin admin, String topic, int partition, int size, Duration timeout) {
        return Await.value("ISR of " + topic + "-" + partition + " has " + size + " members", timeout, () -> {
            List<Integer> isr = isrOf(admin, topic, partition);
            return isr.size() == size ? isr : null;
        });
    }

    /** Waits until the partition has a leader that is not {@code notThis} (-1: any); returns it. */
    public int awaitLeaderOtherThan(Admin admin, String topic, int partition, int notThis, Duration timeout) {
        return Await.value(topic + "-" + partition + " has a leader other than " + notThis, timeout, () -> {
            int leader = leaderOf(admin, topic, partition);
            return leader >= 0 && leader != notThis ? leader : null;
        });
    }

    /** Waits until node {@code nodeId} leads the partition. */
    public void awaitLeader(Admin admin, String topic, int partition, int nodeId, Duration timeout) {
        Await.until(topic + "-" + partition + " is led by node " + nodeId, timeout,
                () -> leaderOf(admin, topic, partition) == nodeId);
    }

    /**
     * Asks for a preferred-leader election (ElectLeaders PREFERRED) until node {@code nodeId},
     * the partition's first replica, leads it. A per-partition error (ELECTION_NOT_NEEDED,
     * PREFERRED_LEADER_NOT_AVAILABLE while it catches up) just means: ask again.
     */
    public void electPreferredLeader(Admin admin, String topic, int partition, int nodeId, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, partition);
        Await.until("node " + nodeId + " leads " + tp + " after a preferred election", timeout, () -> {
            if (leaderOf(admin, topic, partition) == nodeId) {
                return true;
            }
            try {
                Clients.get(admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions());
            } catch (Clients.ClientCallFailed e) {
                // not possible yet: ask again at the next poll
            }
            return leaderOf(admin, topic, partition) == nodeId;
        });
    }

    /**
     * Creates a topic (a retry that finds it created counts as success) and waits until every
     * partition has a leader and a full ISR.
     */
    public void createTopic(Admin admin, NewTopic topic) {
        Await.until("topic " + topic.name() + " is created", METADATA_TIMEOUT, () -> {
            try {
                Clients.get(admin.createTopics(List.of(topic)).all());
            } catch (Clients.ClientCallFailed e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return true;
        });
        Await.until("every partition of " + topic.name() + " has a leader and a full ISR", METADATA_TIMEOUT, () -> {
            TopicDescription description = Clients.get(admin.describeTopics(List.of(topic.name())).allTopicNames())
                    .get(topic.name());
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()
                    && p.isr().size() == p.replicas().size());
        });
    }

    /** Creates {@code name} with {@code partitions} partitions of {@code replicationFactor} replicas. */
    public void createTopic(Admin admin, String name, int partitions, int replicationFactor,
                            Map<String, String> configs) {
        createTopic(admin, new NewTopic(name, partitions, (short) replicationFactor).configs(configs));
    }

    /**
     * Waits until the partition's end offset (its high watermark, as a consumer sees it through
     * {@code bootstrap}) is at least {@code end}: a new leader's high watermark may trail its log for a
     * moment until its followers fetch.
     */
    public void awaitEndOffset(String bootstrap, TopicPartition partition, long end, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap)) {
            Await.until(partition + " ends at offset " + end + " or later", timeout,
                    () -> consumer.endOffsets(List.of(partition), Duration.ofSeconds(5)).get(partition) >= end);
        }
    }

    /** Kills (SIGKILL) every node still running and closes the admin client. */
    @Override
    public void close() {
        if (admin != null) {
            Clients.closeAll(admin);
            admin = null;
        }
        nodes.values().forEach(BrokerProcess::close);
    }

    /** A cluster id as Kafka prints one: 16 random bytes in URL-safe base64 without padding. */
    private static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}

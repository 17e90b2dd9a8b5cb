package io.millrace.testkit;

import io.millrace.common.config.BrokerConfig;
import io.millrace.server.Broker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Millrace inside the calling JVM, for tests: one broker, or a cluster of up to nine nodes
 * (every node broker and controller, a voter of the metadata quorum), on free ports of
 * 127.0.0.1, with its data in a temporary directory removed by {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedMillrace millrace = EmbeddedMillrace.builder().topic("orders", 3).start()) {
 *     props.put("bootstrap.servers", millrace.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * Settings are Apache Kafka's {@code server.properties} keys ({@link Builder#brokerProperty});
 * the defaults suit tests: a new consumer group rebalances at once
 * ({@code group.initial.rebalance.delay.ms=0}), and a cluster notices a stopped node within 2 s.
 * Thread-safe: {@link #close()} may be called from any thread, more than once.
 */
public final class EmbeddedMillrace implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final List<Broker> brokers;
    private final String bootstrapServers;
    private final Path dataRoot;
    private final boolean deleteDataOnClose;
    private final Duration startTime;
    private boolean closed;

    private EmbeddedMillrace(List<Broker> brokers, String bootstrapServers, Path dataRoot, boolean deleteDataOnClose,
                             Duration startTime) {
        this.brokers = brokers;
        this.bootstrapServers = bootstrapServers;
        this.dataRoot = dataRoot;
        this.deleteDataOnClose = deleteDataOnClose;
        this.startTime = startTime;
    }

    /** A builder for one node with the test defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** One node with the test defaults, started. */
    public static EmbeddedMillrace start() {
        return builder().start();
    }

    /** {@code host:port,...} of every node, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code bootstrap.servers} as client properties, to add a client's own settings to. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public int nodes() {
        return brokers.size();
    }

    /** How long {@link Builder#start()} took, topics created up front included. */
    public Duration startTime() {
        return startTime;
    }

    /** The directory the nodes keep their data in ({@code node-N} below it). */
    public Path dataDirectory() {
        return dataRoot;
    }

    /**
     * Creates a topic with {@code partitions} partitions and {@code min(3, nodes)} replicas, and
     * returns once it exists (creating one that already exists is no error).
     */
    public void createTopic(String name, int partitions) {
        createTopics(Map.of(name, partitions));
    }

    /** Creates several topics at once: name to partition count. */
    public void createTopics(Map<String, Integer> partitionsByName) {
        createTopics(clientProperties(), nodes(), partitionsByName);
    }

    private static void createTopics(Properties client, int nodes, Map<String, Integer> partitionsByName) {
        if (partitionsByName.isEmpty()) {
            return;
        }
        short replicas = (short) Math.min(3, nodes);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try (Admin admin = Admin.create(client)) {
            for (Map.Entry<String, Integer> topic : partitionsByName.entrySet()) {
                while (true) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), replicas))).all()
                                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) {
                            break;
                        }
                        // Just after a cluster starts, the active controller may not yet count every
                        // registered node as alive (it learns that from their heartbeats): try again.
                        if (!(e.getCause() instanceof InvalidReplicationFactorException) || System.nanoTime() > deadline) {
                            throw new IllegalStateException("Cannot create topic " + topic.getKey() + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                        Thread.sleep(100);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Topics not created within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Stops every node (cleanly, together) and removes the data unless a directory was given. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture.allOf(brokers.stream().map(b -> CompletableFuture.runAsync(b::shutdown))
                .toArray(CompletableFuture[]::new)).join();
        if (deleteDataOnClose) {
            deleteRecursively(dataRoot);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }

    /** How to start an {@link EmbeddedMillrace}. Not thread-safe. */
    public static final class Builder {
        private int nodes = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, Integer> topics = new LinkedHashMap<>();
        private Path dataDirectory;

        private Builder() {
        }

        /** Nodes in the cluster, 1 (the default) to 9. */
        public Builder nodes(int count) {
            if (count < 1 || count > 9) {
                throw new IllegalArgumentException("nodes must be 1 to 9, not " + count);
            }
            this.nodes = count;
            return this;
        }

        /** An Apache Kafka {@code server.properties} key set on every node, over the defaults. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /** A topic created before {@link #start()} returns. */
        public Builder topic(String name, int partitions) {
            topics.put(name, partitions);
            return this;
        }

        /** Keep the data here (and leave it on close) instead of in a temporary directory. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /** Starts the nodes and creates the topics; throws if a node cannot start. */
        public EmbeddedMillrace start() {
            long begin = System.nanoTime();
            Path root;
            try {
                root = dataDirectory != null ? Files.createDirectories(dataDirectory)
                        : Files.createTempDirectory("millrace-testkit-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data directory", e);
            }
            List<Map<String, String>> configs = NodeConfigs.of(nodes, root, freePorts(nodes), freePorts(nodes),
                    brokerProperties);
            List<Broker> brokers = new ArrayList<>();
            for (Map<String, String> config : configs) {
                brokers.add(new Broker(BrokerConfig.fromProperties(config)));
            }
            // The nodes of a cluster wait for each other's votes while starting: start them together.
            List<CompletableFuture<Void>> starts = brokers.stream()
                    .map(b -> CompletableFuture.runAsync(b::start)).toList();
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
            } catch (Exception e) {
                brokers.forEach(Broker::shutdown);
                if (dataDirectory == null) {
                    deleteRecursively(root);
                }
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IllegalStateException("Millrace did not start: " + cause.getMessage(), cause);
            }
            String bootstrap = brokers.stream().map(b -> "127.0.0.1:" + b.boundPort())
                    .collect(Collectors.joining(","));
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try {
                awaitRegistered(client, brokers.size());
                createTopics(client, brokers.size(), topics);
            } catch (RuntimeException e) {
                new EmbeddedMillrace(List.copyOf(brokers), bootstrap, root, dataDirectory == null, Duration.ZERO).close();
                throw e;
            }
            return new EmbeddedMillrace(List.copyOf(brokers), bootstrap, root, dataDirectory == null,
                    Duration.ofNanos(System.nanoTime() - begin));
        }

        /** Every node started answers; a cluster's nodes also register with the quorum leader: wait for that. */
        private static void awaitRegistered(Properties client, int count) {
            if (count == 1) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            try (Admin admin = Admin.create(client)) {
                while (true) {
                    try {
                        if (admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size() >= count) {
                            return;
                        }
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        // no answer yet: ask again
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(count + " nodes not all registered within " + TIMEOUT_SECONDS + " s");
                    }
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the nodes to register", e);
            }
        }

        private static List<Integer> freePorts(int count) {
            List<Integer> ports = new ArrayList<>();
            if (count == 1) {
                ports.add(0); // one node binds port 0 and reports what it got
                return ports;
            }
            for (int i = 0; i < count; i++) {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    ports.add(socket.getLocalPort());
                } catch (IOException e) {
                    throw new UncheckedIOException("No free port on 127.0.0.1", e);
                }
            }
            return ports;
        }
    }
}

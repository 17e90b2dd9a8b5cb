package io.millrace.bench;

import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.BrokerProcess;
import io.millrace.bench.broker.ProcStats;
import io.millrace.bench.workload.IdleConnections;
import io.millrace.bench.workload.ProduceWorkload;
import io.millrace.bench.workload.StartupProbe;
import io.millrace.bench.workload.Throughput;
import io.millrace.bench.workload.Topics;
import io.millrace.bench.broker.ClusterLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --workload scale}: how a broker's cost grows with partitions and connections, on one
 * node started fresh ({@code --workload scale-cluster}: three nodes, every topic with three
 * replicas, RSS summed over the nodes, all restarted together):
 * <ol>
 *   <li>for each partition count ({@link #partitionCounts}: 1,000 and 10,000; quick: 100 and
 *       1,000), a topic with that many partitions is created and timed from the CreateTopics call
 *       until every partition has a leader that serves ListOffsets (metadata propagation);
 *       then {@code produceRecords} records (acks=1, the producer's default sticky partitioning
 *       spreads them over every partition) are produced to it; the broker's resident set is read
 *       after each;</li>
 *   <li>the broker is restarted with all that data, timed from the process start to the first
 *       acknowledged record (of a new topic) and to every partition of the largest topic led
 *       again;</li>
 *   <li>{@link #connectionCount} idle client connections (10,000; quick 1,000), each after one
 *       ApiVersions exchange ({@link IdleConnections}): the resident set before and after, per
 *       connection.</li>
 * </ol>
 * Runs on the calling thread; the figures come back in report order, printed side by side by
 * {@link BenchMain}.
 */
final class ScaleSession {
    private final BenchOptions options;
    private final Consumer<String> progress;
    private final byte[] value;
    private final int nodes;

    ScaleSession(BenchOptions options, Consumer<String> progress, byte[] value, int nodes) {
        this.nodes = nodes;
        this.options = options;
        this.progress = progress;
        this.value = value;
    }

    static List<Integer> partitionCounts(BenchOptions options) {
        return options.mode().equals("quick") ? List.of(100, 1_000) : List.of(1_000, 10_000);
    }

    static int connectionCount(BenchOptions options) {
        return options.mode().equals("quick") ? 1_000 : 10_000;
    }

    /** Label to value, in report order: one node, or {@code nodes} (3) with every topic replicated to all. */
    Map<String, Double> run(BrokerLauncher launcher, Path workRoot) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        int replicas = nodes;
        List<BrokerProcess> brokers = start(launcher, workRoot);
        String bootstrap = bootstrap(brokers);
        try {
            put(figures, launcher, "start to first ack (empty)", "ms", StartupProbe.millisToFirstAck(brokers.getFirst(), value, replicas));
            put(figures, launcher, "RSS, empty" + perNodes(), "MiB", rssMiB(brokers));
            String largest = null;
            int largestCount = 0;
            for (int partitions : partitionCounts(options)) {
                String topic = "scale-" + partitions;
                try (Topics topics = new Topics(bootstrap)) {
                    long begin = System.nanoTime();
                    topics.create(topic, partitions, replicas);
                    put(figures, launcher, String.format(Locale.ROOT, "create %,d partitions (RF %d), all led", partitions,
                            replicas), "ms", (System.nanoTime() - begin) / 1e6);
                }
                Throughput produced = ProduceWorkload.run(bootstrap, topic, "1", options.produceRecords(), value);
                put(figures, launcher, String.format(Locale.ROOT, "produce over %,d partitions", partitions), "records/s",
                        produced.recordsPerSecond());
                put(figures, launcher, String.format(Locale.ROOT, "RSS with %,d more partitions%s", partitions,
                        perNodes()), "MiB", rssMiB(brokers));
                largest = topic;
                largestCount = partitions;
            }
            brokers.forEach(BrokerProcess::requestStop);
            List<BrokerProcess> restarted = new ArrayList<>();
            for (BrokerProcess broker : brokers) {
                broker.close();
                ShutdownHook.untrack(broker);
            }
            for (BrokerProcess broker : brokers) {
                restarted.add(ShutdownHook.track(broker.startAgain()));
            }
            brokers = restarted;
            put(figures, launcher, "restart with data to first ack", "ms",
                    StartupProbe.millisToFirstAck(brokers.getFirst(), value, replicas));
            try (Topics topics = new Topics(bootstrap)) {
                topics.awaitLeaders(largest, largestCount);
            }
            put(figures, launcher, String.format(Locale.ROOT, "restart with data to %,d partitions led", largestCount),
                    "ms", (System.nanoTime() - brokers.getFirst().startNanos()) / 1e6);
            BrokerProcess first = brokers.getFirst();
            int count = connectionCount(options);
            long before = ProcStats.rssBytes(first.pid());
            try (IdleConnections connections = IdleConnections.open(first.bootstrap(), count)) {
                long after = ProcStats.rssBytes(first.pid());
                put(figures, launcher, String.format(Locale.ROOT, "RSS with %,d idle connections (one node)", count),
                        "MiB", mib(after));
                put(figures, launcher, "memory per idle connection", "KiB", (after - before) / 1024.0 / connections.size());
            }
            return figures;
        } finally {
            brokers.forEach(BrokerProcess::requestStop);
            for (BrokerProcess broker : brokers) {
                broker.close();
                ShutdownHook.untrack(broker);
            }
        }
    }

    private List<BrokerProcess> start(BrokerLauncher launcher, Path workRoot) throws Exception {
        if (nodes == 1) {
            return new ArrayList<>(List.of(ShutdownHook.track(launcher.start(workRoot.resolve(launcher.name() + "-scale")))));
        }
        ClusterLayout layout = ClusterLayout.allocate(nodes);
        String clusterId = Uuid.randomUuid().toString();
        List<BrokerProcess> started = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            started.add(ShutdownHook.track(launcher.startNode(workRoot.resolve(launcher.name() + "-scale-node-" + node),
                    layout, node, clusterId)));
        }
        try (Topics topics = new Topics(layout.bootstrap())) {
            topics.awaitBrokers(nodes, () -> started.forEach(BrokerProcess::checkAlive));
        }
        return started;
    }

    private String perNodes() {
        return nodes == 1 ? "" : ", " + nodes + " nodes summed";
    }

    private static String bootstrap(List<BrokerProcess> brokers) {
        return brokers.stream().map(BrokerProcess::bootstrap).collect(Collectors.joining(","));
    }

    private static double rssMiB(List<BrokerProcess> brokers) {
        long bytes = 0;
        for (BrokerProcess broker : brokers) {
            bytes += ProcStats.rssBytes(broker.pid());
        }
        return mib(bytes);
    }

    private void put(Map<String, Double> figures, BrokerLauncher launcher, String what, String unit, double value) {
        String label = what + " (" + unit + ")";
        figures.put(label, value);
        progress.accept(String.format(Locale.ROOT, "%-8s %-60s %,.1f", launcher.name(), label, value));
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}

package io.millrace.bench;

import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.BrokerProcess;
import io.millrace.bench.broker.ProcStats;
import io.millrace.bench.workload.IdleConnections;
import io.millrace.bench.workload.ProduceWorkload;
import io.millrace.bench.workload.StartupProbe;
import io.millrace.bench.workload.Throughput;
import io.millrace.bench.workload.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --workload scale}: how one broker's cost grows with partitions and connections, on one
 * node started fresh:
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

    ScaleSession(BenchOptions options, Consumer<String> progress, byte[] value) {
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

    /** Label to value, in report order. */
    Map<String, Double> run(BrokerLauncher launcher, Path workRoot) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        BrokerProcess broker = ShutdownHook.track(launcher.start(workRoot.resolve(launcher.name() + "-scale")));
        try {
            put(figures, launcher, "start to first ack (empty)", "ms", StartupProbe.millisToFirstAck(broker, value));
            put(figures, launcher, "RSS, empty", "MiB", mib(ProcStats.rssBytes(broker.pid())));
            String largest = null;
            int largestCount = 0;
            for (int partitions : partitionCounts(options)) {
                String topic = "scale-" + partitions;
                try (Topics topics = new Topics(broker.bootstrap())) {
                    long begin = System.nanoTime();
                    topics.create(topic, partitions);
                    put(figures, launcher, String.format(Locale.ROOT, "create %,d partitions, all led", partitions), "ms",
                            (System.nanoTime() - begin) / 1e6);
                }
                Throughput produced = ProduceWorkload.run(broker.bootstrap(), topic, "1", options.produceRecords(), value);
                put(figures, launcher, String.format(Locale.ROOT, "produce over %,d partitions", partitions), "records/s",
                        produced.recordsPerSecond());
                put(figures, launcher, String.format(Locale.ROOT, "RSS with %,d more partitions", partitions), "MiB",
                        mib(ProcStats.rssBytes(broker.pid())));
                largest = topic;
                largestCount = partitions;
            }
            ShutdownHook.untrack(broker);
            broker = ShutdownHook.track(broker.restart());
            put(figures, launcher, "restart with data to first ack", "ms", StartupProbe.millisToFirstAck(broker, value));
            try (Topics topics = new Topics(broker.bootstrap())) {
                topics.awaitLeaders(largest, largestCount);
            }
            put(figures, launcher, String.format(Locale.ROOT, "restart with data to %,d partitions led", largestCount),
                    "ms", (System.nanoTime() - broker.startNanos()) / 1e6);
            int count = connectionCount(options);
            long before = ProcStats.rssBytes(broker.pid());
            try (IdleConnections connections = IdleConnections.open(broker.bootstrap(), count)) {
                long after = ProcStats.rssBytes(broker.pid());
                put(figures, launcher, String.format(Locale.ROOT, "RSS with %,d idle connections", count), "MiB",
                        mib(after));
                put(figures, launcher, "memory per idle connection", "KiB", (after - before) / 1024.0 / connections.size());
            }
            return figures;
        } finally {
            broker.close();
            ShutdownHook.untrack(broker);
        }
    }

    private void put(Map<String, Double> figures, BrokerLauncher launcher, String what, String unit, double value) {
        String label = what + " (" + unit + ")";
        figures.put(label, value);
        progress.accept(String.format(Locale.ROOT, "%-8s %-44s %,.1f", launcher.name(), label, value));
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}

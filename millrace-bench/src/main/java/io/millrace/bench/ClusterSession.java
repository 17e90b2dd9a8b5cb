package io.millrace.bench;

import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.BrokerProcess;
import io.millrace.bench.broker.ClusterLayout;
import io.millrace.bench.broker.ProcStats;
import io.millrace.bench.report.BrokerResults;
import io.millrace.bench.report.Metric;
import io.millrace.bench.workload.ConsumeWorkload;
import io.millrace.bench.report.GcPauses;
import io.millrace.bench.workload.LatencyWorkload;
import io.millrace.bench.workload.ProduceWorkload;
import io.millrace.bench.workload.StartupProbe;
import io.millrace.bench.workload.Throughput;
import io.millrace.bench.workload.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * {@code --workload cluster}: three nodes of each kind of broker as separate processes, started
 * from the same Kafka-keyed {@code server.properties} ({@link ClusterLayout}: every node broker
 * and controller, a static three-voter quorum, replication factor 3, {@code min.insync.replicas=2}),
 * both clusters up for the whole run and every measured step alternating between them
 * (see {@link #run}):
 * <ol>
 *   <li>the time from the first node's start until all three are registered;</li>
 *   <li>warm-up: rounds of {@code produceRecords} (at least {@code warmupRecords}) produced (acks=all)
 *       and consumed on 6 partitions until the produce rate settles, not counted;</li>
 *   <li>{@code repeats} times: produce {@code produceRecords} with acks=all to a fresh 6-partition
 *       topic with 3 replicas, the three nodes' CPU time summed before and after, then consume it;</li>
 *   <li>{@code repeats} end-to-end latency runs (acks=all) on fresh one-partition, 3-replica topics;</li>
 *   <li>the three nodes' peak RSS, summed.</li>
 * </ol>
 * Runs on the calling thread; progress lines go to {@code progress}.
 */
final class ClusterSession {
    static final int NODES = 3;
    private static final int PARTITIONS = 6;

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final byte[] value;

    ClusterSession(BenchOptions options, Consumer<String> progress, byte[] value) {
        this.options = options;
        this.progress = progress;
        this.value = value;
    }

    /** One cluster under test: its nodes, their bootstrap, an admin for topics, its samples. */
    private record Target(String who, List<BrokerProcess> nodes, String bootstrap, Topics topics,
                          BrokerResults results) {
    }

    /**
     * Starts each kind's three nodes in turn (the clusters started before idle meanwhile) and warms
     * each up, then runs every measured step against all of them with the order reversed from one
     * repeat to the next (Millrace, Kafka; Kafka, Millrace; ...), as {@link BrokerSession} does, so the
     * clients' JIT warm-up in this JVM touches both alike. Returns each broker's samples by name.
     */
    Map<String, BrokerResults> run(List<BrokerLauncher> launchers, Path workRoot) throws Exception {
        List<Target> targets = new ArrayList<>();
        try {
            for (BrokerLauncher launcher : launchers) {
                targets.add(start(launcher, workRoot));
            }
            for (Target t : targets) {
                warmUp(t);
            }
            for (int run = 1; run <= options.repeats(); run++) {
                for (Target t : Alternation.inTurn(targets, run)) {
                    produceAndConsume(t, run);
                }
            }
            for (int run = 1; run <= options.repeats(); run++) {
                for (Target t : Alternation.inTurn(targets, run)) {
                    latency(t, run);
                }
            }
            Map<String, BrokerResults> results = new LinkedHashMap<>();
            for (Target t : targets) {
                double rssMiB = 0;
                for (BrokerProcess node : t.nodes()) {
                    node.checkAlive();
                    rssMiB += ProcStats.peakRssBytes(node.pid()) / (1024.0 * 1024.0);
                }
                t.results().add(Metric.CLUSTER_PEAK_RSS, rssMiB);
                report(t.who(), "peak RSS, 3 nodes", "%.0f MiB", rssMiB);
                results.put(t.results().broker(), t.results());
            }
            return results;
        } finally {
            for (Target t : targets) {
                t.topics().close();
                stop(t.nodes());
            }
        }
    }

    /** Starts three nodes of {@code launcher} and waits until all are registered (timed). */
    private Target start(BrokerLauncher launcher, Path workRoot) throws Exception {
        BrokerResults results = new BrokerResults(launcher.name());
        ClusterLayout layout = ClusterLayout.allocate(NODES);
        String clusterId = Uuid.randomUuid().toString();
        List<BrokerProcess> nodes = new ArrayList<>();
        String who = launcher.name() + " x" + NODES;
        Topics topics = null;
        try {
            long start = System.nanoTime();
            for (int node = 1; node <= NODES; node++) {
                nodes.add(ShutdownHook.track(launcher.startNode(
                        workRoot.resolve(launcher.name() + "-cluster-node-" + node), layout, node, clusterId)));
            }
            long deadline = start + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            for (BrokerProcess node : nodes) {
                StartupProbe.awaitListening(node, deadline); // no client warnings about nodes not up yet
            }
            topics = new Topics(layout.bootstrap());
            topics.awaitBrokers(NODES, () -> nodes.forEach(BrokerProcess::checkAlive));
            double formed = (System.nanoTime() - start) / 1e6;
            results.add(Metric.CLUSTER_START_TO_REGISTERED, formed);
            report(who, "start to 3 registered", "%.0f ms", formed);
            return new Target(who, nodes, layout.bootstrap(), topics, results);
        } catch (Exception | Error e) {
            if (topics != null) {
                topics.close();
            }
            stop(nodes);
            throw e;
        }
    }

    private static void stop(List<BrokerProcess> nodes) {
        nodes.forEach(BrokerProcess::requestStop);
        for (BrokerProcess node : nodes) {
            node.close();
            ShutdownHook.untrack(node);
        }
    }

    /** Warm-up rounds at most, and how much faster than the previous round a round may be to end it. */
    private static final int WARM_UP_ROUNDS = 5;
    private static final double WARM_UP_SETTLED = 1.10;

    /**
     * Rounds of a measured run's count (at least the warm-up count) produced and consumed, until a
     * round's produce rate is within 10% of the one before ({@value #WARM_UP_ROUNDS} rounds at most):
     * three JVMs of each broker warm up on two cores far slower than one. With one round, both
     * brokers' produce rates still rose about threefold over the next three measured runs and settled
     * only from the fourth ({@code bench/results/cluster-2026-12-08T0221.txt}).
     */
    private void warmUp(Target t) throws Exception {
        int records = Math.max(options.warmupRecords(), options.produceRecords());
        double previous = 0;
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            String topic = "cluster-warmup-" + round;
            List<TopicPartition> partitions = t.topics().create(topic, PARTITIONS, NODES);
            Throughput produced = ProduceWorkload.run(t.bootstrap(), topic, "all", records, value);
            Throughput consumed = ConsumeWorkload.run(t.bootstrap(), partitions, records);
            t.topics().delete(topic);
            report(t.who(), "warm-up round " + round, "produce %,.0f records/s, consume %,.0f records/s",
                    produced.recordsPerSecond(), consumed.recordsPerSecond());
            if (round > 1 && produced.recordsPerSecond() < previous * WARM_UP_SETTLED) {
                return;
            }
            previous = produced.recordsPerSecond();
        }
    }

    private void produceAndConsume(Target t, int run) throws Exception {
        String topic = "cluster-p6-acksall-" + run;
        List<TopicPartition> tps = t.topics().create(topic, PARTITIONS, NODES);
        double cpuBefore = cpuSeconds(t.nodes());
        Throughput produced = ProduceWorkload.run(t.bootstrap(), topic, "all", options.produceRecords(), value);
        double cpuPerGb = (cpuSeconds(t.nodes()) - cpuBefore) / (produced.bytes() / 1e9);
        t.results().add(Metric.CLUSTER_ACKSALL_RF3_RECORDS, produced.recordsPerSecond());
        t.results().add(Metric.CLUSTER_ACKSALL_RF3_MB, produced.megabytesPerSecond());
        t.results().add(Metric.CLUSTER_CPU_PER_GB, cpuPerGb);
        report(t.who(), "produce acks=all p=6 #" + run, "%,.0f records/s, %.1f MB/s, %.1f CPU s/GB (3 nodes)",
                produced.recordsPerSecond(), produced.megabytesPerSecond(), cpuPerGb);
        Throughput consumed = ConsumeWorkload.run(t.bootstrap(), tps, options.produceRecords());
        t.results().add(Metric.CLUSTER_CONSUME_RECORDS, consumed.recordsPerSecond());
        report(t.who(), "consume p=6 #" + run, "%,.0f records/s, %.1f MB/s", consumed.recordsPerSecond(),
                consumed.megabytesPerSecond());
        t.topics().delete(topic);
    }

    private void latency(Target t, int run) throws Exception {
        String topic = "cluster-latency-" + run;
        TopicPartition partition = t.topics().create(topic, 1, NODES).getFirst();
        List<Long> gcMarks = new ArrayList<>();
        for (BrokerProcess node : t.nodes()) {
            gcMarks.add(GcPauses.mark(node.gcLog()));
        }
        LatencyWorkload.Result latency = LatencyWorkload.run(t.bootstrap(), partition, options.latencyRate(),
                options.latencySeconds(), options.recordBytes());
        List<GcPauses> pauses = new ArrayList<>();
        for (int i = 0; i < t.nodes().size(); i++) {
            pauses.add(GcPauses.since(t.nodes().get(i).gcLog(), gcMarks.get(i)));
        }
        GcPauses gc = GcPauses.sum(pauses);
        t.results().add(Metric.CLUSTER_LATENCY_P50, latency.p50());
        t.results().add(Metric.CLUSTER_LATENCY_P99, latency.p99());
        t.results().add(Metric.CLUSTER_LATENCY_P999, latency.p999());
        t.results().add(Metric.CLUSTER_LATENCY_P9999, latency.p9999());
        t.results().add(Metric.CLUSTER_LATENCY_MAX, latency.max());
        t.results().add(Metric.CLUSTER_LATENCY_GC_MAX_PAUSE, gc.maxMs());
        report(t.who(), "latency @" + options.latencyRate() + "/s #" + run,
                "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, p99.99 %.2f ms, max %.2f ms; GC (3 nodes): %d pauses, "
                        + "longest %.1f ms", latency.p50(), latency.p99(), latency.p999(), latency.p9999(), latency.max(),
                gc.count(), gc.maxMs());
        t.topics().delete(topic);
    }

    private static double cpuSeconds(List<BrokerProcess> nodes) {
        double sum = 0;
        for (BrokerProcess node : nodes) {
            sum += ProcStats.cpuSeconds(node.pid());
        }
        return sum;
    }

    private void report(String who, String what, String format, Object... args) {
        progress.accept(String.format(Locale.ROOT, "%-11s %-25s %s", who, what,
                String.format(Locale.ROOT, format, args)));
    }
}

package io.millrace.bench;

import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.KafkaLauncher;
import io.millrace.bench.broker.MillraceLauncher;
import io.millrace.bench.report.BrokerResults;
import io.millrace.bench.report.Comparison;
import io.millrace.bench.report.ResultsWriter;
import io.millrace.bench.report.RunInfo;
import io.millrace.bench.workload.StockToolsWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./millrace bench}: Millrace and Apache Kafka side by side (see {@link BrokerSession}
 * for the workloads), a table on stdout, results saved under {@code bench/results/}.
 * The repository root comes from the system property {@code millrace.root} (the launcher
 * script sets it), else the working directory; the brokers' jars from {@code millrace.bench.jars}
 * (the script's private copy: {@code cli/} and {@code kafka-lib/}), else the build's target dirs. Exit codes: 0 done, 1 a run failed, 2 bad usage.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        // The clients' INFO lines (every config, every connection) would bury the progress lines.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path root = Path.of(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
        List<String> argList = Arrays.asList(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(root, argList);
        } catch (IllegalArgumentException e) {
            System.err.println("millrace bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.scaleOnly()) {
            // A restarted broker answers NOT_LEADER_OR_FOLLOWER until it leads again: one warning per retry.
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender", "error");
        }
        if (options.clusterOnly()) {
            // Kafka's admin logs an ERROR per retry while a new topic's metadata reaches its brokers.
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy",
                    "off");
        }
        if (options.streamsRebalanceOnly()) {
            // Kafka Streams warns at every start (state dir in /tmp, warm-up replicas, topics not there yet).
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
        try {
            run(options);
        } catch (Exception e) {
            System.err.println("millrace bench: failed: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(BenchOptions options) throws Exception {
        long start = System.nanoTime();
        ZonedDateTime startTime = ZonedDateTime.now();
        // The launcher script runs us from a copy of the jars (millrace.bench.jars) that builds cannot touch.
        String staged = System.getProperty("millrace.bench.jars");
        Path cliJars = staged != null ? Path.of(staged, "cli") : options.root().resolve("millrace-cli/target");
        Path kafkaJars = staged != null ? Path.of(staged, "kafka-lib") : options.root().resolve("millrace-bench/target/kafka-lib");
        Map<String, BrokerLauncher> launchers = Map.of(
                "millrace", new MillraceLauncher(cliJars, options.heap()),
                "kafka", new KafkaLauncher(kafkaJars, options.heap()));
        RunInfo run = new RunInfo(RunInfo.stampOf(startTime), options.mode(), commit(options.root()), machine(),
                workloads(options));
        System.out.println("millrace bench (" + run.mode() + "): " + run.workloads());
        System.out.println("machine: " + run.machine());
        double load = parseOrZero(loadAverage());
        if (load > Runtime.getRuntime().availableProcessors() / 2.0) {
            System.out.printf(Locale.ROOT, "warning: load average %.1f before start: other work will skew the numbers%n",
                    load);
        }
        Path workRoot = Files.createTempDirectory("millrace-bench-");
        if (options.scaleOnly() || options.durableOnly()) {
            runFigures(options, launchers, workRoot, run, start);
            return;
        }
        Map<String, BrokerResults> results = new HashMap<>();
        try {
            java.util.function.Consumer<String> progress = line -> System.out.printf(Locale.ROOT,
                    "[%4.0fs] %s%n", (System.nanoTime() - start) / 1e9, line);
            if (options.clusterOnly()) {
                results.putAll(new ClusterSession(options, progress, BrokerSession.value(options))
                        .run(options.brokers().stream().map(launchers::get).toList(), workRoot));
            } else {
                results.putAll(new BrokerSession(options, progress, new StockToolsWorkload(kafkaJars))
                        .run(options.brokers().stream().map(launchers::get).toList(), workRoot));
            }
        } catch (Exception e) {
            System.err.println("millrace bench: broker data and logs (broker.log) kept in " + workRoot);
            throw e;
        }
        deleteRecursively(workRoot);
        Comparison comparison = Comparison.of(results.get("millrace"), results.get("kafka"));
        System.out.println();
        System.out.print(comparison.toText());
        System.out.printf(Locale.ROOT, "%nTotal %.0f s.%n", (System.nanoTime() - start) / 1e9);
        if (options.save() && options.workloads().equals("all")) {
            Path dir = options.root().resolve("bench/results");
            for (Path written : ResultsWriter.write(dir, run, comparison, results.get("millrace"), results.get("kafka"))) {
                System.out.println("wrote " + options.root().relativize(written));
            }
        } else if (options.save()) {
            saveText(options, run, options.workloads(), comparison.toText());
        }
    }

    /** {@code bench/results/<title>-<stamp>.txt}: the command, commit, machine (its load at start), workloads, table. */
    private static void saveText(BenchOptions options, RunInfo run, String title, String table) throws IOException {
        Path file = options.root().resolve("bench/results/" + title + "-" + run.stamp() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "millrace bench --workload " + title + " (" + run.mode() + "), commit " + run.commit()
                + "\nmachine: " + run.machine() + "\nworkloads: " + run.workloads() + "\n\n" + table);
        System.out.println("wrote " + options.root().relativize(file));
    }

    /** A workload that reports its own labelled figures (scale, durable). */
    interface FigureSession {
        Map<String, Double> run(BrokerLauncher launcher, Path workRoot) throws Exception;
    }

    private static void runFigures(BenchOptions options, Map<String, BrokerLauncher> launchers, Path workRoot,
                                   RunInfo run, long start) throws Exception {
        java.util.function.Consumer<String> progress = line -> System.out.printf(Locale.ROOT, "[%4.0fs] %s%n",
                (System.nanoTime() - start) / 1e9, line);
        byte[] value = BrokerSession.value(options);
        FigureSession session = options.scaleOnly()
                ? new ScaleSession(options, progress, value, options.workloads().equals("scale-cluster") ? 3 : 1)::run
                : new DurableSession(options, progress, value)::run;
        String title = options.scaleOnly() ? options.workloads() : "durable";
        Map<String, Map<String, Double>> figures = new HashMap<>();
        try {
            for (String broker : options.brokers()) {
                figures.put(broker, session.run(launchers.get(broker), workRoot));
            }
        } catch (Exception e) {
            System.err.println("millrace bench: broker data and logs (broker.log) kept in " + workRoot);
            throw e;
        }
        deleteRecursively(workRoot);
        String table = SideBySide.table(title + " (ratio = millrace/kafka; for ms, MiB, KiB lower is better)",
                figures.get("millrace"), figures.get("kafka"));
        System.out.println();
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%nTotal %.0f s.%n", (System.nanoTime() - start) / 1e9);
        if (options.save()) {
            saveText(options, run, title, table);
        }
    }

    private static String workloads(BenchOptions o) {
        if (o.durableOnly()) {
            return String.format(Locale.ROOT, "durable: flush.messages=1 against the default, acks=all, 6 partitions, "
                    + "%,d records by 1 and by %d producers, latency at %,d records/s for %d s, broker JVM %s",
                    o.produceRecords(), DurableSession.PRODUCERS, DurableSession.LATENCY_RATE, o.latencySeconds(),
                    String.join(" ", o.heap()));
        }
        if (o.scaleOnly()) {
            return String.format(Locale.ROOT, o.workloads() + ": " + (o.workloads().equals("scale") ? "one node"
                    : "three nodes, 3 replicas") + ", topics of %s partitions, %,d records each, "
                    + "%,d idle connections, broker JVM %s", ScaleSession.partitionCounts(o), o.produceRecords(),
                    ScaleSession.connectionCount(o), String.join(" ", o.heap()));
        }
        if (o.streamsRebalanceOnly()) {
            return String.format(Locale.ROOT, "Kafka Streams: %d instances joining one by one, %d input partitions, "
                    + "%d rounds with each group protocol (medians), broker JVM %s", 3, 12, o.repeats(),
                    String.join(" ", o.heap()));
        }
        if (o.shareOnly()) {
            return String.format(Locale.ROOT, "share group: 3 KafkaShareConsumers (defaults, implicit acknowledgement) "
                    + "read %,d records of %,d bytes from 1 partition, %d runs (medians), broker JVM %s",
                    o.produceRecords(), o.recordBytes(), o.repeats(), String.join(" ", o.heap()));
        }
        if (o.stockOnly()) {
            return String.format(Locale.ROOT, "Apache Kafka's stock tools only: ProducerPerformance and "
                    + "ConsumerPerformance (defaults), %,d records of %,d bytes per run, 1 and 6 partitions and a group "
                    + "of 3, %d runs (medians), broker JVM %s, warm-up %,d records", o.produceRecords(), o.recordBytes(),
                    o.repeats(), String.join(" ", o.heap()), o.warmupRecords());
        }
        String nodes = o.clusterOnly() ? ClusterSession.NODES + " nodes of each broker, RF=3, acks=all, min.insync.replicas=2, " : "";
        return nodes + String.format(Locale.ROOT, "%,d records of %,d bytes per produce run, %d runs of each workload "
                        + "(medians), latency at %,d records/s for %d s per run, broker JVM %s, warm-up %,d records",
                o.produceRecords(), o.recordBytes(), o.repeats(), o.latencyRate(), o.latencySeconds(),
                String.join(" ", o.heap()), o.warmupRecords());
    }

    private static String machine() {
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // leave it unknown
        }
        return String.format(Locale.ROOT, "%d cores, %.0f GiB, JDK %s, %s %s, load average %s at start",
                Runtime.getRuntime().availableProcessors(), memKb / 1024.0 / 1024.0, Runtime.version(),
                System.getProperty("os.name"), System.getProperty("os.version"), loadAverage());
    }

    /** The 1-minute load average: above about half the cores, other work was competing with the run. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The short commit id, by a read-only git command; "unknown" outside a repository. */
    private static String commit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static double parseOrZero(String number) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

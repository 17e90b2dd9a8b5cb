package io.millrace.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Saves a run under {@code bench/results/}:
 * <ul>
 *   <li>{@code <stamp>-results.md}: the table, every sample, how it was measured;</li>
 *   <li>{@code <stamp>-ratios.png}: the ratios as bars ({@link RatioChart});</li>
 *   <li>{@code history.csv}: one row per metric appended, columns
 *       {@code run,mode,commit,metric,unit,millrace,kafka,ratio};</li>
 *   <li>{@code trend.png}: headline ratios across the saved full runs ({@link TrendChart}).</li>
 * </ul>
 */
public final class ResultsWriter {
    public static final String HISTORY_HEADER = "run,mode,commit,metric,unit,millrace,kafka,ratio";
    private static final String HOW_MEASURED = """
            ## How it was measured

            `./millrace bench` (millrace-bench/README.md). Both brokers run on 127.0.0.1 as child processes
            of the benchmark, on the same JDK with the same JVM options and their default flush settings
            (no forced fsync); Kafka is one KRaft node in combined mode. After their start-up runs both
            stay up and every workload's runs alternate between them, the order reversed every other run
            (Millrace, Kafka; Kafka, Millrace; ...), so the clients' JIT warm-up and the machine's drift
            touch both alike.
            The clients are kafka-clients 4.4.0 in the benchmark's JVM with default settings except acks;
            consumers assign partitions and seek to the beginning (no group).

            - produce: one producer, records of the size above with no key, as fast as `send()` takes
              them, timed from the first send to the last ack; a fresh topic per run.
            - consume: one consumer reads each acks=1 topic from the beginning right after it was written.
            - ProducerPerformance / ConsumerPerformance: Apache Kafka's own tools from its jars, each in a JVM
              of its own (-Xmx256M), with their defaults (acks=all, linger.ms=5; a group of one), the
              produce run's record count on a fresh topic; the rate each tool prints. Group of 3: three
              ConsumerPerformance processes of one group read a 6-partition topic together, each up to 95%
              of a third; all records they read over first start to last end (the times they print).
            - broker's share of busy CPU (stock tools): the broker's utime+stime over the machine's busy CPU
              (/proc/stat) during each ProducerPerformance / ConsumerPerformance run; on a quiet machine the
              rest is the tool's JVM, so a low share means the run was bound by the client, not the broker.
            - latency: one partition, a fixed rate, acks=all; receipt time minus the `send()` call time,
              both `System.nanoTime()` in one JVM; the first second of each run is not counted.
            - CPU per GB: the broker's utime+stime (/proc/<pid>/stat) over each produce run divided by
              the GB (10^9 bytes) of values sent; the median over every produce run.
            - peak RSS: VmHWM from /proc/<pid>/status after every workload.
            - start to first ack: from `ProcessBuilder.start()` to the first acked `send()` on a new
              topic (creating it counts); Kafka's storage format step before it is not counted.
            - 3 nodes, RF=3 (`--workload cluster` only, printed, not saved): see millrace-bench/README.md.
            """;

    private ResultsWriter() {
    }

    /** Writes every file; returns the paths written. A chart that cannot be drawn is skipped with a warning. */
    public static List<Path> write(Path dir, RunInfo run, Comparison comparison, BrokerResults millrace,
                                   BrokerResults kafka) throws IOException {
        Files.createDirectories(dir);
        Path markdown = dir.resolve(run.stamp() + "-results.md");
        Path chart = dir.resolve(run.stamp() + "-ratios.png");
        Path history = dir.resolve("history.csv");
        Path trend = dir.resolve("trend.png");
        Files.writeString(markdown, markdown(run, comparison, millrace, kafka, chart.getFileName().toString()));
        appendHistory(history, run, comparison);
        try {
            RatioChart.write(chart, "Millrace / Kafka  " + run.stamp() + " UTC (" + run.mode() + ", " + run.commit() + ")",
                    comparison);
            TrendChart.write(trend, history);
            return List.of(markdown, chart, history, trend);
        } catch (IOException | RuntimeException | Error e) {
            // Headless Java2D needs fontconfig and a font; the numbers are saved either way.
            System.err.println("bench: cannot draw the charts (" + e + "); results saved without them");
            return List.of(markdown, history);
        }
    }

    private static void appendHistory(Path history, RunInfo run, Comparison comparison) throws IOException {
        StringBuilder rows = new StringBuilder();
        if (!Files.exists(history)) {
            rows.append(HISTORY_HEADER).append('\n');
        }
        for (Comparison.Row row : comparison.rows()) {
            if (!row.measured()) {
                continue;
            }
            rows.append(String.join(",", run.stamp(), run.mode(), run.commit(), row.metric().key(),
                    row.metric().unit(), plain(row.millrace()), plain(row.kafka()), plain(row.ratio()))).append('\n');
        }
        Files.writeString(history, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String plain(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String markdown(RunInfo run, Comparison comparison, BrokerResults millrace, BrokerResults kafka,
                                   String chartFile) {
        StringBuilder out = new StringBuilder();
        out.append("# Millrace vs Apache Kafka 4.4.0, ").append(run.stamp()).append(" UTC (").append(run.mode())
                .append(")\n\n");
        out.append("- commit: `").append(run.commit()).append("`\n");
        out.append("- machine: ").append(run.machine()).append('\n');
        out.append("- workloads: ").append(run.workloads()).append("\n\n");
        out.append(comparison.toMarkdown()).append('\n');
        out.append("Medians of every run. A **bold** ratio is one where Millrace did worse than Kafka.\n\n");
        out.append("![Millrace/Kafka ratios](").append(chartFile).append(")\n\n");
        out.append("## Every sample\n\n| metric | unit | Millrace | Kafka |\n|---|---|---|---|\n");
        for (Metric metric : Metric.values()) {
            if (millrace.samples(metric).isEmpty() && kafka.samples(metric).isEmpty()) {
                continue;
            }
            out.append("| ").append(metric.label()).append(" | ").append(metric.unit()).append(" | ")
                    .append(samples(millrace, metric)).append(" | ").append(samples(kafka, metric)).append(" |\n");
        }
        out.append("\n").append(HOW_MEASURED);
        return out.toString();
    }

    private static String samples(BrokerResults results, Metric metric) {
        return results.samples(metric).stream().map(Comparison::format).collect(Collectors.joining(", "));
    }
}

package io.millrace.bench.workload;

import io.millrace.bench.broker.BrokerLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own perf tools, run as its scripts run them (a JVM of their own, Kafka's jars,
 * {@code -Xmx256M} as {@code kafka-run-class.sh}'s default heap) with their defaults:
 * {@code ProducerPerformance --throughput -1} (the producer's defaults, so acks=all and
 * linger.ms=5) and {@code ConsumerPerformance} (a consumer group of one). So the bench's own
 * workloads, which use the clients in this JVM, can be read beside what a Kafka user who runs
 * the stock tools would see. Stateless.
 */
public final class StockToolsWorkload {
    /** Members of the consumer group {@link #consumerGroupPerformance} runs. */
    public static final int GROUP_MEMBERS = 3;
    private static final long TIMEOUT_SECONDS = 600;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSS");
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

    private final Path kafkaLib;

    /** @param kafkaLib the directory holding Kafka's jars, kafka-tools included */
    public StockToolsWorkload(Path kafkaLib) {
        this.kafkaLib = kafkaLib;
    }

    /** Records/s that {@code ProducerPerformance} reports for {@code records} of {@code recordBytes} to {@code topic}. */
    public double producerPerformance(String bootstrap, String topic, int records, int recordBytes) throws Exception {
        String out = run("org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordBytes),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap);
        // Progress lines come every 5 s in the same form; the summary is the last one.
        long sent = -1;
        double rate = Double.NaN;
        Matcher m = PRODUCER_SUMMARY.matcher(out);
        while (m.find()) {
            sent = Long.parseLong(m.group(1));
            rate = Double.parseDouble(m.group(2));
        }
        if (sent != records) {
            throw new IOException("ProducerPerformance did not report " + records + " records sent:\n" + out);
        }
        return rate;
    }

    /**
     * Records/s that {@code ConsumerPerformance} reports ({@code nMsg.sec}: from its start,
     * group join included, to the last record) reading {@code records} from {@code topic}.
     */
    public double consumerPerformance(String bootstrap, String topic, int records) throws Exception {
        String out = run("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
                "--topic", topic, "--messages", Integer.toString(records), "--timeout", "60000");
        return Double.parseDouble(consumerSummary(out, records).get("nMsg.sec"));
    }

    /**
     * Records/s of {@value #GROUP_MEMBERS} {@code ConsumerPerformance} processes of one group
     * {@code group} reading {@code topic} at once: every record they consumed over the time from
     * the first one's start to the last one's end (the times each prints). Each stops at 95% of its
     * even share, so a member whose partitions hold a little less than a third does not wait for
     * records that are not there.
     */
    public double consumerGroupPerformance(String bootstrap, String topic, int records, String group) throws Exception {
        long share = (long) (records * 0.95 / GROUP_MEMBERS);
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < GROUP_MEMBERS; i++) {
                Path output = java.nio.file.Files.createTempFile("consumer-performance-", ".txt");
                outputs.add(output);
                processes.add(start("org.apache.kafka.tools.ConsumerPerformance", output, "--bootstrap-server",
                        bootstrap, "--topic", topic, "--group", group, "--messages", Long.toString(share),
                        "--timeout", "60000"));
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long consumed = 0;
            for (int i = 0; i < GROUP_MEMBERS; i++) {
                String out = finish(processes.get(i), "org.apache.kafka.tools.ConsumerPerformance", outputs.get(i));
                Map<String, String> summary = consumerSummary(out, share);
                first = Math.min(first, parseTime(summary.get("start.time")));
                last = Math.max(last, parseTime(summary.get("end.time")));
                consumed += Long.parseLong(summary.get("data.consumed.in.nMsg"));
            }
            return consumed / ((last - first) / 1000.0);
        } finally {
            processes.forEach(Process::destroyForcibly);
            for (Path output : outputs) {
                java.nio.file.Files.deleteIfExists(output);
            }
        }
    }

    /** ConsumerPerformance's summary line, by column, once it consumed at least {@code records}. */
    private static Map<String, String> consumerSummary(String out, long records) throws IOException {
        List<String> lines = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("start.time")) {
                String[] header = lines.get(i).split(",\\s*");
                String[] values = lines.get(i + 1).split(",\\s*");
                if (values.length == header.length) {
                    Map<String, String> summary = new HashMap<>();
                    for (int c = 0; c < header.length; c++) {
                        summary.put(header[c], values[c]);
                    }
                    if (Long.parseLong(summary.getOrDefault("data.consumed.in.nMsg", "-1")) >= records) {
                        return summary;
                    }
                }
            }
        }
        throw new IOException("ConsumerPerformance did not report " + records + " records consumed:\n" + out);
    }

    /** Epoch millis of ConsumerPerformance's default date format, {@code yyyy-MM-dd HH:mm:ss:SSS}, local time. */
    private static long parseTime(String text) {
        return LocalDateTime.parse(text, TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private Process start(String mainClass, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(BrokerLauncher.javaBinary(), "-Xmx256M",
                "--enable-native-access=ALL-UNNAMED", "-cp", kafkaLib + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String finish(Process process, String mainClass, Path output) throws Exception {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException(mainClass + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String out = java.nio.file.Files.readString(output);
        if (process.exitValue() != 0) {
            throw new IOException(mainClass + " exited with code " + process.exitValue() + ":\n" + out);
        }
        return out;
    }

    private String run(String mainClass, String... args) throws Exception {
        Path output = java.nio.file.Files.createTempFile("stock-tool-", ".txt");
        Process process = start(mainClass, output, args);
        try {
            return finish(process, mainClass, output);
        } finally {
            process.destroyForcibly();
            java.nio.file.Files.deleteIfExists(output);
        }
    }
}

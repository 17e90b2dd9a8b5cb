package io.millrace.bench.workload;

import io.millrace.bench.broker.BrokerLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private static final long TIMEOUT_SECONDS = 600;
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
        List<String> lines = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("start.time")) {
                List<String> header = List.of(lines.get(i).split(",\\s*"));
                String[] values = lines.get(i + 1).split(",\\s*");
                int consumed = header.indexOf("data.consumed.in.nMsg");
                int rate = header.indexOf("nMsg.sec");
                if (consumed >= 0 && rate >= 0 && values.length == header.size()
                        && Long.parseLong(values[consumed]) >= records) {
                    return Double.parseDouble(values[rate]);
                }
            }
        }
        throw new IOException("ConsumerPerformance did not report " + records + " records consumed:\n" + out);
    }

    private String run(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BrokerLauncher.javaBinary(), "-Xmx256M",
                "--enable-native-access=ALL-UNNAMED", "-cp", kafkaLib + "/*", mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try {
            output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(mainClass + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } finally {
            process.destroyForcibly();
        }
        String out = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(mainClass + " exited with code " + process.exitValue() + ":\n" + out);
        }
        return out;
    }
}

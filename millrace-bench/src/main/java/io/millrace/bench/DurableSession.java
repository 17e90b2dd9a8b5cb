package io.millrace.bench;

import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.BrokerProcess;
import io.millrace.bench.workload.LatencyWorkload;
import io.millrace.bench.workload.ProduceWorkload;
import io.millrace.bench.workload.StartupProbe;
import io.millrace.bench.workload.Throughput;
import io.millrace.bench.workload.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code --workload durable}: fsync before acknowledging, against each broker's default. One
 * start; each topic has 6 partitions, one of them with {@code flush.messages=1} (Apache Kafka's
 * topic key for {@code log.flush.interval.messages}: the log is flushed after every append,
 * before the produce is answered), one with the defaults (no forced flush). On each: acks=all
 * produce of {@code produceRecords} records by 1 producer and by {@link #PRODUCERS} producers at
 * once (sharing the records; concurrent producers are what lets a broker share one fsync among
 * them), then end-to-end latency at {@link #LATENCY_RATE} records/s on a one-partition topic with the same
 * configs. Runs on the calling thread (the concurrent producers on a pool of their own).
 */
final class DurableSession {
    static final int PRODUCERS = 4;
    /** Records/s of the latency runs: below what one fsync per record allows (about 1,000/s on a common SSD). */
    static final int LATENCY_RATE = 200;
    private static final int PARTITIONS = 6;
    private static final Map<String, Map<String, String>> MODES = new LinkedHashMap<>();

    static {
        MODES.put("flush.messages=1", Map.of("flush.messages", "1"));
        MODES.put("default flush", Map.of());
    }

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final byte[] value;

    DurableSession(BenchOptions options, Consumer<String> progress, byte[] value) {
        this.options = options;
        this.progress = progress;
        this.value = value;
    }

    /** Label to value, in report order. */
    Map<String, Double> run(BrokerLauncher launcher, Path workRoot) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        BrokerProcess broker = ShutdownHook.track(launcher.start(workRoot.resolve(launcher.name() + "-durable")));
        try (Topics topics = new Topics(broker.bootstrap())) {
            StartupProbe.millisToFirstAck(broker, value);
            topics.create("durable-warmup", PARTITIONS);
            ProduceWorkload.run(broker.bootstrap(), "durable-warmup", "all", options.warmupRecords(), value);
            int n = 0;
            for (Map.Entry<String, Map<String, String>> mode : MODES.entrySet()) {
                for (int producers : List.of(1, PRODUCERS)) {
                    String topic = "durable-" + n++;
                    topics.create(topic, PARTITIONS, 1, mode.getValue());
                    Throughput produced = produce(broker.bootstrap(), topic, producers);
                    put(figures, launcher, String.format(Locale.ROOT, "%s: acks=all, %d producer%s, 6 p. (records/s)",
                            mode.getKey(), producers, producers == 1 ? "" : "s"), produced.recordsPerSecond());
                    topics.delete(topic);
                }
                String topic = "durable-latency-" + n++;
                var partition = topics.create(topic, 1, 1, mode.getValue()).getFirst();
                LatencyWorkload.Result latency = LatencyWorkload.run(broker.bootstrap(), partition, LATENCY_RATE,
                        options.latencySeconds(), options.recordBytes());
                put(figures, launcher, mode.getKey() + ": end-to-end p50 (ms)", latency.p50());
                put(figures, launcher, mode.getKey() + ": end-to-end p99 (ms)", latency.p99());
                put(figures, launcher, mode.getKey() + ": end-to-end p99.9 (ms)", latency.p999());
                topics.delete(topic);
            }
            return figures;
        } finally {
            broker.close();
            ShutdownHook.untrack(broker);
        }
    }

    /** {@code producers} producers at once, each sending its share of the records; the slowest one's time counts. */
    private Throughput produce(String bootstrap, String topic, int producers) throws Exception {
        if (producers == 1) {
            return ProduceWorkload.run(bootstrap, topic, "all", options.produceRecords(), value);
        }
        int each = options.produceRecords() / producers;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            long start = System.nanoTime();
            List<Future<Throughput>> runs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                runs.add(pool.submit(() -> ProduceWorkload.run(bootstrap, topic, "all", each, value)));
            }
            for (Future<Throughput> run : runs) {
                run.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Throughput((long) each * producers, (long) each * producers * value.length, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private void put(Map<String, Double> figures, BrokerLauncher launcher, String label, double value) {
        figures.put(label, value);
        progress.accept(String.format(Locale.ROOT, "%-8s %-52s %,.1f", launcher.name(), label, value));
    }
}

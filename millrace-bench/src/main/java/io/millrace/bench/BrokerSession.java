package io.millrace.bench;

import io.millrace.bench.broker.BenchTls;
import io.millrace.bench.broker.BrokerLauncher;
import io.millrace.bench.broker.BrokerProcess;
import io.millrace.bench.broker.ProcStats;
import io.millrace.bench.report.BrokerResults;
import io.millrace.bench.report.Metric;
import io.millrace.bench.workload.ConsumeWorkload;
import io.millrace.bench.report.GcPauses;
import io.millrace.bench.workload.LatencyWorkload;
import io.millrace.bench.workload.ProduceWorkload;
import io.millrace.bench.workload.ShareConsumeWorkload;
import io.millrace.bench.workload.StartupProbe;
import io.millrace.bench.workload.StockToolsWorkload;
import io.millrace.bench.workload.StreamsRebalanceWorkload;
import io.millrace.bench.workload.Throughput;
import io.millrace.bench.workload.Topics;
import io.millrace.bench.workload.TransactionalProduceWorkload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs every workload against one kind of broker and collects the samples:
 * <ol>
 *   <li>start-up: {@code repeats} fresh starts, each timed to the first acknowledged produce;
 *       the last broker stays up for the rest;</li>
 *   <li>warm-up: produce and consume {@code warmupRecords} once, not counted;</li>
 *   <li>produce, for 1 and 6 partitions, acks=1 and acks=all, {@code repeats} runs each on a
 *       fresh topic, with the broker's CPU time read before and after; each acks=1 topic is
 *       then consumed once (so consume is repeated as often);</li>
 *   <li>Apache Kafka's stock tools, for 1 and 6 partitions, {@code repeats} runs each on a fresh
 *       topic: ProducerPerformance then ConsumerPerformance ({@link StockToolsWorkload});</li>
 *   <li>end-to-end latency, {@code repeats} runs on fresh one-partition topics;</li>
 *   <li>transactional produce: {@code repeats} runs of {@code produceRecords} in transactions
 *       of {@link BenchOptions#RECORDS_PER_TRANSACTION}, acks=all, each on a fresh
 *       one-partition topic (with {@code --workload transactions}, after one start, alone);</li>
 *   <li>with {@code --workload tls}, after one start with an SSL listener as well: warm-up, then
 *       {@code repeats} times an acks=1, 6-partition produce and consume over plaintext and the
 *       same over TLS, alone;</li>
 *   <li>with {@code --workload streams-rebalance}, after one start, alone: {@code repeats} rounds
 *       of three Kafka Streams instances joining one by one, with the classic and with the
 *       streams group protocol ({@link StreamsRebalanceWorkload});</li>
 *   <li>with {@code --workload stock}, after one start and the warm-up, alone: the stock tools'
 *       runs of the full set, with {@code produceRecords} per run;</li>
 *   <li>with {@code --workload share}, after one start and the warm-up, alone: {@code repeats}
 *       times {@code produceRecords} produced (acks=1) to a fresh one-partition topic, then read
 *       by {@value #SHARE_CONSUMERS} share consumers of a fresh share group
 *       ({@link ShareConsumeWorkload});</li>
 *   <li>the broker's peak RSS, read just before it is stopped.</li>
 * </ol>
 * Runs on the calling thread; progress lines go to {@code progress}.
 */
final class BrokerSession {
    private static final List<Integer> PARTITIONS = List.of(1, 6);
    private static final List<String> ACKS = List.of("1", "all");
    private static final int SHARE_CONSUMERS = 3;

    private final BenchOptions options;
    private final Consumer<String> progress;
    private final byte[] value;

    private final StockToolsWorkload stockTools;

    BrokerSession(BenchOptions options, Consumer<String> progress, StockToolsWorkload stockTools) {
        this.options = options;
        this.stockTools = stockTools;
        this.progress = progress;
        this.value = value(options);
    }

    /** The value every produced record carries: {@code recordBytes} of a-z repeated. */
    static byte[] value(BenchOptions options) {
        byte[] value = new byte[options.recordBytes()];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        return value;
    }

    /** One broker under test: its process, an admin for its topics, its samples, its TLS listener if any. */
    private record Target(BrokerProcess broker, Topics topics, BrokerResults results, BenchTls tls) {
    }

    /** One measured step against one broker; {@code run} counts from 1. */
    @FunctionalInterface
    private interface Step {
        void run(Target target, int run) throws Exception;
    }

    /**
     * Starts each broker in turn (its start-up runs while the brokers before it idle), then runs
     * every workload against all of them with the brokers' order alternating from one repeat to
     * the next (Millrace, Kafka; Kafka, Millrace; ...), so the clients' JIT warm-up in this JVM and
     * drift in the machine's load touch both alike. Returns each broker's samples by name.
     */
    Map<String, BrokerResults> run(List<BrokerLauncher> launchers, Path workRoot) throws Exception {
        List<Target> targets = new ArrayList<>();
        try {
            for (BrokerLauncher launcher : launchers) {
                targets.add(start(launcher, workRoot));
            }
            if (options.tlsOnly()) {
                each(targets, this::warmUp);
                repeat(targets, (t, run) -> {
                    produceAndConsume(t, 6, "1", run);
                    tlsProduceAndConsume(t, run);
                });
            } else if (options.streamsRebalanceOnly()) {
                streamsRebalance(targets, workRoot);
            } else if (options.shareOnly()) {
                each(targets, this::warmUp);
                repeat(targets, this::shareConsume);
            } else if (options.transactionsOnly()) {
                repeat(targets, this::transactionalProduce);
            } else if (options.stockOnly()) {
                each(targets, this::warmUp);
                for (int partitions : PARTITIONS) {
                    repeat(targets, (t, run) -> stockTools(t, partitions, run));
                }
                repeat(targets, this::stockConsumerGroup);
            } else {
                each(targets, this::warmUp);
                for (int partitions : PARTITIONS) {
                    for (String acks : ACKS) {
                        repeat(targets, (t, run) -> produceAndConsume(t, partitions, acks, run));
                    }
                }
                for (int partitions : PARTITIONS) {
                    repeat(targets, (t, run) -> stockTools(t, partitions, run));
                }
                repeat(targets, this::stockConsumerGroup);
                repeat(targets, this::latency);
                repeat(targets, this::transactionalProduce);
            }
            Map<String, BrokerResults> results = new HashMap<>();
            for (Target t : targets) {
                t.broker().checkAlive();
                if (!options.singleSessionWorkload()) {
                    double rssMiB = ProcStats.peakRssBytes(t.broker().pid()) / (1024.0 * 1024.0);
                    t.results().add(Metric.PEAK_RSS, rssMiB);
                    report(t.broker(), "peak RSS", "%.0f MiB", rssMiB);
                }
                results.put(t.results().broker(), t.results());
            }
            return results;
        } finally {
            for (Target t : targets) {
                t.topics().close();
                t.broker().close();
                ShutdownHook.untrack(t.broker());
            }
        }
    }

    /** {@code repeats} fresh starts timed to the first ack (one for the single-workload modes); the last stays up. */
    private Target start(BrokerLauncher launcher, Path workRoot) throws Exception {
        BrokerResults results = new BrokerResults(launcher.name());
        int starts = options.singleSessionWorkload() ? 1 : options.repeats();
        BenchTls tls = options.tlsOnly() ? BenchTls.generate(workRoot.resolve(launcher.name() + "-tls")) : null;
        BrokerProcess broker = null;
        for (int run = 1; run <= starts; run++) {
            if (broker != null) {
                broker.close();
                ShutdownHook.untrack(broker);
            }
            if (tls != null) {
                tls = tls.onPort(BrokerLauncher.freePort());
            }
            broker = ShutdownHook.track(launcher.start(workRoot.resolve(launcher.name() + "-" + run), tls));
            double millis = StartupProbe.millisToFirstAck(broker, value);
            results.add(Metric.STARTUP_TO_FIRST_ACK, millis);
            report(broker, "start to first ack #" + run, "%.0f ms", millis);
        }
        return new Target(broker, new Topics(broker.bootstrap()), results, tls);
    }

    /** The step once against each broker, in order (not measured: warm-ups). */
    private static void each(List<Target> targets, Step step) throws Exception {
        for (Target t : targets) {
            step.run(t, 1);
        }
    }

    /** The step {@code repeats} times against every broker, the brokers' order reversed every other run. */
    private void repeat(List<Target> targets, Step step) throws Exception {
        for (int run = 1; run <= options.repeats(); run++) {
            for (Target t : Alternation.inTurn(targets, run)) {
                step.run(t, run);
            }
        }
    }

    private void warmUp(Target t, int ignored) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        String topic = "warmup";
        List<TopicPartition> partitions = topics.create(topic, 6);
        Throughput produced = ProduceWorkload.run(broker.bootstrap(), topic, "1", options.warmupRecords(), value);
        Throughput consumed = ConsumeWorkload.run(broker.bootstrap(), partitions, options.warmupRecords());
        topics.delete(topic);
        report(broker, "warm-up", "produce %,.0f records/s, consume %,.0f records/s",
                produced.recordsPerSecond(), consumed.recordsPerSecond());
    }

    private void produceAndConsume(Target t, int partitions, String acks, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        String topic = "produce-p" + partitions + "-acks" + acks + "-" + run;
        List<TopicPartition> tps = topics.create(topic, partitions);
        double cpuBefore = ProcStats.cpuSeconds(broker.pid());
        Throughput produced = ProduceWorkload.run(broker.bootstrap(), topic, acks, options.produceRecords(), value);
        double cpuSeconds = ProcStats.cpuSeconds(broker.pid()) - cpuBefore;
        double cpuPerGb = cpuSeconds / (produced.bytes() / 1e9);
        results.add(Metric.produceRecords(acks, partitions), produced.recordsPerSecond());
        results.add(Metric.produceMegabytes(acks, partitions), produced.megabytesPerSecond());
        results.add(Metric.CPU_PER_GB, cpuPerGb);
        report(broker, "produce acks=" + acks + " p=" + partitions + " #" + run,
                "%,.0f records/s, %.1f MB/s, %.1f CPU s/GB", produced.recordsPerSecond(),
                produced.megabytesPerSecond(), cpuPerGb);
        if (acks.equals("1")) {
            Throughput consumed = ConsumeWorkload.run(broker.bootstrap(), tps, options.produceRecords());
            results.add(Metric.consumeRecords(partitions), consumed.recordsPerSecond());
            results.add(Metric.consumeMegabytes(partitions), consumed.megabytesPerSecond());
            report(broker, "consume p=" + partitions + " #" + run, "%,.0f records/s, %.1f MB/s",
                    consumed.recordsPerSecond(), consumed.megabytesPerSecond());
        }
        topics.delete(topic);
    }

    /** Kafka's ProducerPerformance then ConsumerPerformance on a fresh topic, each in its own JVM. */
    private void stockTools(Target t, int partitions, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        String topic = "stock-p" + partitions + "-" + run;
        topics.create(topic, partitions);
        CpuShare produceCpu = CpuShare.start(broker.pid());
        double produced = stockTools.producerPerformance(broker.bootstrap(), topic, options.produceRecords(),
                options.recordBytes());
        double produceShare = produceCpu.brokerPercent();
        results.add(Metric.stockProduce(partitions), produced);
        results.add(Metric.stockProduceBrokerShare(partitions), produceShare);
        CpuShare consumeCpu = CpuShare.start(broker.pid());
        double consumed = stockTools.consumerPerformance(broker.bootstrap(), topic, options.produceRecords());
        double consumeShare = consumeCpu.brokerPercent();
        results.add(Metric.stockConsume(partitions), consumed);
        results.add(Metric.stockConsumeBrokerShare(partitions), consumeShare);
        report(broker, "stock tools p=" + partitions + " #" + run,
                "ProducerPerformance %,.0f records/s (broker %.0f%% of busy CPU), ConsumerPerformance %,.0f records/s "
                        + "(broker %.0f%%)", produced, produceShare, consumed, consumeShare);
        topics.delete(topic);
    }

    /**
     * ProducerPerformance fills a fresh 6-partition topic, then {@value StockToolsWorkload#GROUP_MEMBERS}
     * ConsumerPerformance processes of one group read it together.
     */
    private void stockConsumerGroup(Target t, int run) throws Exception {
        BrokerProcess broker = t.broker();
        String topic = "stock-group-p6-" + run;
        t.topics().create(topic, 6);
        stockTools.producerPerformance(broker.bootstrap(), topic, options.produceRecords(), options.recordBytes());
        double consumed = stockTools.consumerGroupPerformance(broker.bootstrap(), topic, options.produceRecords(),
                "bench-group-" + run);
        t.results().add(Metric.STOCK_CONSUME_GROUP3_P6_RECORDS, consumed);
        report(broker, "stock group x" + StockToolsWorkload.GROUP_MEMBERS + " p=6 #" + run,
                "ConsumerPerformance x" + StockToolsWorkload.GROUP_MEMBERS + " %,.0f records/s", consumed);
        t.topics().delete(topic);
    }

    /** As an acks=1, 6-partition run of {@link #produceAndConsume}, with both clients on the SSL listener. */
    private void tlsProduceAndConsume(Target t, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        BenchTls tls = t.tls();
        String topic = "tls-produce-p6-" + run;
        List<TopicPartition> tps = topics.create(topic, 6);
        Throughput produced = ProduceWorkload.run(tls.bootstrap(), tls.clientSettings(), topic, "1",
                options.produceRecords(), value);
        results.add(Metric.TLS_PRODUCE_ACKS1_P6_RECORDS, produced.recordsPerSecond());
        results.add(Metric.TLS_PRODUCE_ACKS1_P6_MB, produced.megabytesPerSecond());
        report(broker, "TLS produce acks=1 p=6 #" + run, "%,.0f records/s, %.1f MB/s", produced.recordsPerSecond(),
                produced.megabytesPerSecond());
        Throughput consumed = ConsumeWorkload.run(tls.bootstrap(), tls.clientSettings(), tps, options.produceRecords());
        results.add(Metric.TLS_CONSUME_P6_RECORDS, consumed.recordsPerSecond());
        results.add(Metric.TLS_CONSUME_P6_MB, consumed.megabytesPerSecond());
        report(broker, "TLS consume p=6 #" + run, "%,.0f records/s, %.1f MB/s", consumed.recordsPerSecond(),
                consumed.megabytesPerSecond());
        topics.delete(topic);
    }

    /** A fresh one-partition topic filled at acks=1, then read by a fresh share group of three. */
    private void shareConsume(Target t, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        String topic = "share-p1-" + run;
        topics.create(topic, 1);
        ProduceWorkload.run(broker.bootstrap(), topic, "1", options.produceRecords(), value);
        Throughput consumed = ShareConsumeWorkload.run(broker.bootstrap(), topic, "bench-share-" + run,
                SHARE_CONSUMERS, options.produceRecords());
        results.add(Metric.SHARE_CONSUME_P1_RECORDS, consumed.recordsPerSecond());
        results.add(Metric.SHARE_CONSUME_P1_MB, consumed.megabytesPerSecond());
        report(broker, "share x" + SHARE_CONSUMERS + " p=1 #" + run, "%,.0f records/s, %.1f MB/s",
                consumed.recordsPerSecond(), consumed.megabytesPerSecond());
        topics.delete(topic);
    }

    private void transactionalProduce(Target t, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        String topic = "txn-produce-" + run;
        topics.create(topic, 1);
        Throughput produced = TransactionalProduceWorkload.run(broker.bootstrap(), topic, options.produceRecords(),
                BenchOptions.RECORDS_PER_TRANSACTION, value);
        results.add(Metric.TXN_PRODUCE_P1_RECORDS, produced.recordsPerSecond());
        results.add(Metric.TXN_PRODUCE_P1_MB, produced.megabytesPerSecond());
        report(broker, "txn produce p=1 #" + run, "%,.0f records/s, %.1f MB/s", produced.recordsPerSecond(),
                produced.megabytesPerSecond());
        topics.delete(topic);
    }

    /**
     * The input written once to each broker; then, {@code repeats} times, a classic round and a
     * streams round (alternating, so drift in the machine's load touches both alike), each a
     * fresh application.
     */
    private void streamsRebalance(List<Target> targets, Path workRoot) throws Exception {
        String input = "streams-input";
        String output = "streams-output";
        for (Target t : targets) {
            t.topics().create(input, StreamsRebalanceWorkload.PARTITIONS);
            t.topics().create(output, 1);
            StreamsRebalanceWorkload.writeInput(t.broker().bootstrap(), input);
        }
        repeat(targets, (t, run) -> {
            Path stateRoot = workRoot.resolve(t.results().broker() + "-streams");
            for (String protocol : List.of("classic", "streams")) {
                String applicationId = "bench-" + protocol + "-" + run;
                StreamsRebalanceWorkload.Result result = StreamsRebalanceWorkload.run(t.broker().bootstrap(), protocol,
                        input, output, applicationId, stateRoot.resolve(applicationId));
                double[] joins = result.joinMillis();
                for (int i = 0; i < joins.length; i++) {
                    if (!Double.isNaN(joins[i])) {
                        t.results().add(Metric.streamsJoin(protocol, i + 1), joins[i]);
                    }
                }
                if (!Double.isNaN(result.firstOutput())) {
                    t.results().add(Metric.streamsFirstOutput(protocol), result.firstOutput());
                }
                report(t.broker(), "streams " + protocol + " #" + run, "joins %s ms, first output %.0f ms",
                        java.util.Arrays.stream(joins).mapToObj(j -> String.format(Locale.ROOT, "%.0f", j)).toList(),
                        result.firstOutput());
            }
        });
    }

    private void latency(Target t, int run) throws Exception {
        BrokerProcess broker = t.broker();
        Topics topics = t.topics();
        BrokerResults results = t.results();
        String topic = "latency-" + run;
        TopicPartition partition = topics.create(topic, 1).getFirst();
        long gcMark = GcPauses.mark(broker.gcLog());
        LatencyWorkload.Result latency = LatencyWorkload.run(broker.bootstrap(), partition, options.latencyRate(),
                options.latencySeconds(), options.recordBytes());
        GcPauses gc = GcPauses.since(broker.gcLog(), gcMark);
        results.add(Metric.LATENCY_P50, latency.p50());
        results.add(Metric.LATENCY_P99, latency.p99());
        results.add(Metric.LATENCY_P999, latency.p999());
        results.add(Metric.LATENCY_P9999, latency.p9999());
        results.add(Metric.LATENCY_MAX, latency.max());
        results.add(Metric.LATENCY_GC_PAUSES, gc.count());
        results.add(Metric.LATENCY_GC_MAX_PAUSE, gc.maxMs());
        report(broker, "latency @" + options.latencyRate() + "/s #" + run,
                "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, p99.99 %.2f ms, max %.2f ms; GC: %d pauses, longest %.1f ms, "
                        + "%.1f ms in all", latency.p50(), latency.p99(), latency.p999(), latency.p9999(), latency.max(),
                gc.count(), gc.maxMs(), gc.totalMs());
        topics.delete(topic);
    }

    private void report(BrokerProcess broker, String what, String format, Object... args) {
        progress.accept(String.format(Locale.ROOT, "%-8s %-28s %s", broker.name(), what,
                String.format(Locale.ROOT, format, args)));
    }
}

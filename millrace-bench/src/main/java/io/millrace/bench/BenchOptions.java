package io.millrace.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code ./millrace bench} run does: workload sizes, how often each is repeated, which
 * brokers run, and where jars and results are. Immutable.
 *
 * @param root            the repository root (jars are found and results written under it)
 * @param mode            "full", "quick" (smoke-run sizes, about two minutes) or "custom" (sizes
 *                        changed on the command line); saved with the results
 * @param produceRecords  records per produce run (each run is one fresh topic)
 * @param warmupRecords   records produced and consumed once per broker before measuring
 * @param repeats         runs of each workload; the median is reported
 * @param latencyRate     records per second in the end-to-end latency workload
 * @param latencySeconds  seconds each latency run sends for
 * @param recordBytes     the value size of every record
 * @param heap            JVM heap options given to both brokers alike
 * @param brokers         which brokers run ({@code millrace}, {@code kafka}), in order
 * @param save            write results under bench/results (off with --no-save)
 * @param workloads       which workloads run: "all", or "transactions" (one start, the
 *                        transactional produce only; results are printed, not saved) or "tls"
 *                        (one start with an SSL listener too: produce and consume over plaintext
 *                        and over TLS; printed, not saved) or "streams-rebalance" (one start,
 *                        three Kafka Streams instances joining one by one, with the classic
 *                        and the streams group protocol; printed, not saved) or "cluster"
 *                        (three nodes per broker, RF=3, acks=all; printed and saved as text) or
 *                        "share" (one start: three share consumers of one group read a
 *                        one-partition topic; printed, not saved)
 */
public record BenchOptions(Path root, String mode, int produceRecords, int warmupRecords, int repeats,
                           int latencyRate, int latencySeconds, int recordBytes, List<String> heap,
                           List<String> brokers, boolean save, String workloads) {

    /** Records per transaction in the transactional produce workload. */
    static final int RECORDS_PER_TRANSACTION = 1_000;

    /** Whether only the TLS workload runs (plaintext and TLS produce and consume, side by side). */
    boolean tlsOnly() {
        return workloads.equals("tls");
    }

    /** Whether only the Streams rebalance workload runs (three instances joining, both group protocols). */
    boolean streamsRebalanceOnly() {
        return workloads.equals("streams-rebalance");
    }

    /** Whether only the three-node workload runs ({@link ClusterSession}). */
    boolean clusterOnly() {
        return workloads.equals("cluster");
    }

    /** Whether only the durable workload runs ({@link DurableSession}). */
    boolean durableOnly() {
        return workloads.equals("durable");
    }

    /** Whether only the scale workload runs ({@link ScaleSession}). */
    boolean scaleOnly() {
        return workloads.equals("scale") || workloads.equals("scale-cluster");
    }

    /** Whether only the share group workload runs (three share consumers, one partition). */
    boolean shareOnly() {
        return workloads.equals("share");
    }

    /** Whether only Apache Kafka's stock perf tools run (ProducerPerformance, ConsumerPerformance, a group of 3). */
    boolean stockOnly() {
        return workloads.equals("stock");
    }

    /** Whether only the transactional produce workload runs. */
    boolean transactionsOnly() {
        return workloads.equals("transactions");
    }

    /**
     * Whether one of the single-workload modes {@link BrokerSession} runs after one start
     * (transactions, TLS, Streams rebalance, share) instead of the full side-by-side set.
     */
    boolean singleSessionWorkload() {
        return transactionsOnly() || tlsOnly() || streamsRebalanceOnly() || shareOnly() || stockOnly();
    }

    static final String USAGE = """
            Usage: ./millrace bench [--quick] [--records N] [--repeats N] [--rate N] [--latency-seconds N]
                                    [--heap "OPTS"] [--only millrace|kafka] [--no-save]
                                    [--workload W] [--cluster]
                   ./millrace bench --jmh [JMH options]

              Starts Apache Kafka 4.4.0 and a Millrace broker one after the other on 127.0.0.1, runs
              the same workloads with the same kafka-clients against each, prints both and the
              ratio Millrace/Kafka, and saves the results under bench/results/.
              --quick            smoke-run sizes (about two minutes instead of about five)
              --records N        records per produce run (full 500000, quick 40000)
              --repeats N        runs of each workload, median reported (default 3)
              --rate N           records/s of the end-to-end latency workload (default 5000)
              --latency-seconds N  length of each latency run (full 15, quick 3)
              --heap "OPTS"      JVM heap options for both brokers (default "-Xms1g -Xmx1g")
              --only B           run one broker only (no ratio, nothing saved)
              --no-save          print only
              --workload W       all (default) or transactions: only the transactional produce
                                 (transactions of 1,000 records, acks=all), printed, not saved;
                                 or tls: produce (acks=1) and consume 6 partitions over
                                 plaintext and over TLS on the same broker, printed, not saved;
                                 or streams-rebalance: three Kafka Streams instances of one
                                 application join one by one, group.protocol=classic and
                                 streams, time to settle per join, printed, not saved;
                                 or cluster: three nodes of each broker (separate processes,
                                 the same Kafka-keyed server.properties), RF=3, acks=all,
                                 min.insync.replicas=2: produce and consume 6 partitions,
                                 end-to-end latency, CPU and RSS of the three, printed and
                                 written to bench/results/cluster-<time>.txt;
                                 or scale: one node, topics of 1,000 and 10,000 partitions
                                 (quick: 100 and 1,000): creation until all are led, produce
                                 over all, RSS, restart with the data, then 10,000 idle
                                 connections (quick: 1,000) and memory per connection; printed
                                 and written to bench/results/scale-<time>.txt; scale-cluster:
                                 the same on three nodes of each, every topic with 3 replicas;
                                 or durable: topics with flush.messages=1 (fsync before the
                                 ack) and with the defaults, acks=all produce by 1 and by 4
                                 producers, end-to-end latency; printed and written to
                                 bench/results/durable-<time>.txt;
                                 or share: three KafkaShareConsumers of one share group read
                                 a 1-partition topic of --records records (KIP-932), printed,
                                 not saved;
                                 or stock: only Apache Kafka's ProducerPerformance and
                                 ConsumerPerformance (1 and 6 partitions, a group of 3) with
                                 --records records per run, after one start and the warm-up,
                                 printed and written to bench/results/stock-<time>.txt
              --cluster          the same as --workload cluster
              --jmh              run the JMH microbenchmarks instead (short iterations by default)
            """;

    /** Parses the command line; throws IllegalArgumentException with a one-line message. */
    static BenchOptions parse(Path root, List<String> args) {
        boolean quick = args.contains("--quick");
        int records = quick ? 40_000 : 500_000;
        int warmup = quick ? 20_000 : 200_000;
        int repeats = 3;
        int rate = 5_000;
        int latencySeconds = quick ? 3 : 15;
        List<String> heap = List.of("-Xms1g", "-Xmx1g");
        List<String> brokers = List.of("millrace", "kafka");
        boolean save = true;
        boolean custom = false;
        String workloads = "all";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> { }
                case "--no-save" -> save = false;
                case "--cluster" -> workloads = "cluster";
                case "--records" -> records = positive(arg, value(args, ++i, arg));
                case "--repeats" -> repeats = positive(arg, value(args, ++i, arg));
                case "--rate" -> rate = positive(arg, value(args, ++i, arg));
                case "--latency-seconds" -> latencySeconds = positive(arg, value(args, ++i, arg));
                case "--heap" -> heap = List.of(value(args, ++i, arg).trim().split("\\s+"));
                case "--workload" -> {
                    workloads = value(args, ++i, arg);
                    if (!List.of("all", "transactions", "tls", "streams-rebalance", "cluster", "share", "scale",
                            "scale-cluster", "durable", "stock").contains(workloads)) {
                        throw new IllegalArgumentException("--workload takes all, transactions, tls, streams-rebalance, "
                                + "cluster, share, scale, scale-cluster, durable or stock, not " + workloads);
                    }
                }
                case "--only" -> {
                    String only = value(args, ++i, arg);
                    if (!only.equals("millrace") && !only.equals("kafka")) {
                        throw new IllegalArgumentException("--only takes millrace or kafka, not " + only);
                    }
                    brokers = List.of(only);
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
            custom |= arg.equals("--records") || arg.equals("--repeats") || arg.equals("--rate")
                    || arg.equals("--latency-seconds") || arg.equals("--heap");
        }
        String mode = custom ? "custom" : quick ? "quick" : "full";
        return new BenchOptions(root, mode, records, warmup, repeats, rate,
                latencySeconds, 1024, heap, brokers, save && brokers.size() == 2 && List.of("all", "scale", "scale-cluster", "durable", "cluster", "stock").contains(workloads), workloads);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positive(String option, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive number, not " + text);
    }
}

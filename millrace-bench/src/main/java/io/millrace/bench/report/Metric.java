package io.millrace.bench.report;

/**
 * Every number the side-by-side benchmark reports, in report order, with its unit and which
 * way is better. The enum's lower-case name is the stable key in {@code history.csv}.
 */
public enum Metric {
    PRODUCE_ACKS1_P1_RECORDS("produce acks=1, 1 partition", "records/s", true),
    PRODUCE_ACKS1_P1_MB("produce acks=1, 1 partition", "MB/s", true),
    PRODUCE_ACKSALL_P1_RECORDS("produce acks=all, 1 partition", "records/s", true),
    PRODUCE_ACKSALL_P1_MB("produce acks=all, 1 partition", "MB/s", true),
    PRODUCE_ACKS1_P6_RECORDS("produce acks=1, 6 partitions", "records/s", true),
    PRODUCE_ACKS1_P6_MB("produce acks=1, 6 partitions", "MB/s", true),
    PRODUCE_ACKSALL_P6_RECORDS("produce acks=all, 6 partitions", "records/s", true),
    PRODUCE_ACKSALL_P6_MB("produce acks=all, 6 partitions", "MB/s", true),
    CONSUME_P1_RECORDS("consume, 1 partition", "records/s", true),
    CONSUME_P1_MB("consume, 1 partition", "MB/s", true),
    CONSUME_P6_RECORDS("consume, 6 partitions", "records/s", true),
    CONSUME_P6_MB("consume, 6 partitions", "MB/s", true),
    STOCK_PRODUCE_P1_RECORDS("ProducerPerformance, 1 partition", "records/s", true),
    STOCK_PRODUCE_P6_RECORDS("ProducerPerformance, 6 partitions", "records/s", true),
    STOCK_CONSUME_P1_RECORDS("ConsumerPerformance, 1 partition", "records/s", true),
    STOCK_CONSUME_P6_RECORDS("ConsumerPerformance, 6 partitions", "records/s", true),
    STOCK_CONSUME_GROUP3_P6_RECORDS("ConsumerPerformance, group of 3, 6 partitions", "records/s", true),
    STOCK_PRODUCE_P1_BROKER_SHARE("ProducerPerformance, 1 p.: broker's share of busy CPU", "%", false),
    STOCK_PRODUCE_P6_BROKER_SHARE("ProducerPerformance, 6 p.: broker's share of busy CPU", "%", false),
    STOCK_CONSUME_P1_BROKER_SHARE("ConsumerPerformance, 1 p.: broker's share of busy CPU", "%", false),
    STOCK_CONSUME_P6_BROKER_SHARE("ConsumerPerformance, 6 p.: broker's share of busy CPU", "%", false),
    LATENCY_P50("end-to-end latency p50", "ms", false),
    LATENCY_P99("end-to-end latency p99", "ms", false),
    LATENCY_P999("end-to-end latency p99.9", "ms", false),
    LATENCY_P9999("end-to-end latency p99.99", "ms", false),
    LATENCY_MAX("end-to-end latency max", "ms", false),
    LATENCY_GC_PAUSES("broker GC pauses in a latency run", "count", false),
    LATENCY_GC_MAX_PAUSE("broker GC: longest pause in a latency run", "ms", false),
    CPU_PER_GB("broker CPU per GB produced", "CPU s/GB", false),
    PEAK_RSS("broker peak RSS", "MiB", false),
    TXN_PRODUCE_P1_RECORDS("txn produce (1,000/txn), 1 partition", "records/s", true),
    TXN_PRODUCE_P1_MB("txn produce (1,000/txn), 1 partition", "MB/s", true),
    TLS_PRODUCE_ACKS1_P6_RECORDS("TLS produce acks=1, 6 partitions", "records/s", true),
    TLS_PRODUCE_ACKS1_P6_MB("TLS produce acks=1, 6 partitions", "MB/s", true),
    TLS_CONSUME_P6_RECORDS("TLS consume, 6 partitions", "records/s", true),
    TLS_CONSUME_P6_MB("TLS consume, 6 partitions", "MB/s", true),
    SHARE_CONSUME_P1_RECORDS("share group, 3 consumers, 1 partition", "records/s", true),
    SHARE_CONSUME_P1_MB("share group, 3 consumers, 1 partition", "MB/s", true),
    STREAMS_CLASSIC_JOIN1("Streams classic: instance 1 joins", "ms", false),
    STREAMS_CLASSIC_JOIN2("Streams classic: instance 2 joins", "ms", false),
    STREAMS_CLASSIC_JOIN3("Streams classic: instance 3 joins", "ms", false),
    STREAMS_CLASSIC_FIRST_OUTPUT("Streams classic: start to first output", "ms", false),
    STREAMS_STREAMS_JOIN1("Streams KIP-1071: instance 1 joins", "ms", false),
    STREAMS_STREAMS_JOIN2("Streams KIP-1071: instance 2 joins", "ms", false),
    STREAMS_STREAMS_JOIN3("Streams KIP-1071: instance 3 joins", "ms", false),
    STREAMS_STREAMS_FIRST_OUTPUT("Streams KIP-1071: start to first output", "ms", false),
    STARTUP_TO_FIRST_ACK("process start to first acked produce", "ms", false),
    CLUSTER_ACKSALL_RF3_RECORDS("3 nodes, RF=3: produce acks=all, 6 p.", "records/s", true),
    CLUSTER_ACKSALL_RF3_MB("3 nodes, RF=3: produce acks=all, 6 p.", "MB/s", true),
    CLUSTER_CONSUME_RECORDS("3 nodes, RF=3: consume, 6 p.", "records/s", true),
    CLUSTER_LATENCY_P50("3 nodes, RF=3: end-to-end p50", "ms", false),
    CLUSTER_LATENCY_P99("3 nodes, RF=3: end-to-end p99", "ms", false),
    CLUSTER_LATENCY_P999("3 nodes, RF=3: end-to-end p99.9", "ms", false),
    CLUSTER_LATENCY_P9999("3 nodes, RF=3: end-to-end p99.99", "ms", false),
    CLUSTER_LATENCY_MAX("3 nodes, RF=3: end-to-end max", "ms", false),
    CLUSTER_LATENCY_GC_MAX_PAUSE("3 nodes: longest GC pause in a latency run", "ms", false),
    CLUSTER_CPU_PER_GB("3 nodes, RF=3: CPU per GB produced", "CPU s/GB", false),
    CLUSTER_PEAK_RSS("3 nodes, RF=3: peak RSS, sum", "MiB", false),
    CLUSTER_START_TO_REGISTERED("3 nodes: start to all registered", "ms", false);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The key in history.csv, e.g. {@code produce_acks1_p6_records}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The records/s metric of a produce run; {@code acks} is "1" or "all". */
    public static Metric produceRecords(String acks, int partitions) {
        return valueOf("PRODUCE_ACKS" + acks.toUpperCase(java.util.Locale.ROOT) + "_P" + partitions + "_RECORDS");
    }

    /** The MB/s metric of a produce run. */
    public static Metric produceMegabytes(String acks, int partitions) {
        return valueOf("PRODUCE_ACKS" + acks.toUpperCase(java.util.Locale.ROOT) + "_P" + partitions + "_MB");
    }

    /** The join time of Streams instance {@code instance} (1-3) with {@code protocol} classic or streams. */
    public static Metric streamsJoin(String protocol, int instance) {
        return valueOf("STREAMS_" + protocol.toUpperCase(java.util.Locale.ROOT) + "_JOIN" + instance);
    }

    /** The start-to-first-output time of the Streams workload with {@code protocol}. */
    public static Metric streamsFirstOutput(String protocol) {
        return valueOf("STREAMS_" + protocol.toUpperCase(java.util.Locale.ROOT) + "_FIRST_OUTPUT");
    }

    /** ProducerPerformance's records/s on {@code partitions} (1 or 6). */
    public static Metric stockProduce(int partitions) {
        return valueOf("STOCK_PRODUCE_P" + partitions + "_RECORDS");
    }

    /** The broker's share of the machine's busy CPU during ProducerPerformance on {@code partitions}. */
    public static Metric stockProduceBrokerShare(int partitions) {
        return valueOf("STOCK_PRODUCE_P" + partitions + "_BROKER_SHARE");
    }

    /** The broker's share of the machine's busy CPU during ConsumerPerformance on {@code partitions}. */
    public static Metric stockConsumeBrokerShare(int partitions) {
        return valueOf("STOCK_CONSUME_P" + partitions + "_BROKER_SHARE");
    }

    /** ConsumerPerformance's records/s on {@code partitions} (1 or 6). */
    public static Metric stockConsume(int partitions) {
        return valueOf("STOCK_CONSUME_P" + partitions + "_RECORDS");
    }

    public static Metric consumeRecords(int partitions) {
        return valueOf("CONSUME_P" + partitions + "_RECORDS");
    }

    public static Metric consumeMegabytes(int partitions) {
        return valueOf("CONSUME_P" + partitions + "_MB");
    }
}

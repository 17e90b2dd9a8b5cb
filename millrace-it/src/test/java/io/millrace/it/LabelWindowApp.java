package io.millrace.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The Kafka Streams application of {@code StreamsTopologyIT}. Clicks (key a user, value
 * "c&lt;colour&gt;:&lt;n&gt;", an event timestamp) are joined with a global table of colour
 * labels (a join), re-keyed by label ({@code selectKey} then {@code groupByKey}: the repartition
 * topic {@code <app>-by-label-repartition}), counted per label in one-minute tumbling windows with
 * a day of grace (a windowed state store {@code label-window-counts} and its changelog), and every
 * count update written to the output topic keyed "label@windowStart". The record cache is off,
 * so each processed click yields one output update and a record counted twice shows as a count
 * past the exact one. Topic names are derived from the application id ({@link #clicks} ...).
 * Runs in the test JVM ({@link #create}) or as a child JVM ({@link #main}) a test can SIGKILL.
 */
final class LabelWindowApp {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private LabelWindowApp() {
    }

    static String clicks(String applicationId) {
        return applicationId + "-clicks";
    }

    static String labels(String applicationId) {
        return applicationId + "-labels";
    }

    static String counts(String applicationId) {
        return applicationId + "-counts";
    }

    /** An instance, not started; {@code groupProtocol} "classic" or "streams", {@code guarantee} as StreamsConfig. */
    static KafkaStreams create(String bootstrap, String applicationId, Path stateDir, String groupProtocol,
                               String guarantee) {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> labels = builder.globalTable(labels(applicationId));
        builder.<String, String>stream(clicks(applicationId))
                .join(labels, (user, click) -> click.substring(0, click.indexOf(':')), (click, label) -> label)
                .selectKey((user, label) -> label)
                .groupByKey(Grouped.as("by-label"))
                .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, Duration.ofDays(1)))
                .count(Materialized.as("label-window-counts"))
                .toStream()
                .map((window, count) -> KeyValue.pair(window.key() + "@" + window.window().start(), count))
                .to(counts(applicationId), Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 5_000);
        return new KafkaStreams(builder.build(), props);
    }

    /** Arguments of {@link #main} for one instance. */
    static List<String> args(String bootstrap, String applicationId, Path stateDir, String groupProtocol,
                             String guarantee) {
        return List.of(bootstrap, applicationId, stateDir.toString(), groupProtocol, guarantee);
    }

    /** The child: runs one instance until killed, printing "ACTIVE n" (its active tasks) every 200 ms. */
    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = create(args[0], args[1], Path.of(args[2]), args[3], args[4]);
        streams.start();
        while (true) {
            System.out.println("ACTIVE " + activeTasks(streams));
            System.out.flush();
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    /** Whether a child's log says it runs active tasks now (its last report). */
    static boolean hasActiveTasks(Path log) {
        List<String> reports = ChildJvm.lines(log).stream().filter(line -> line.startsWith("ACTIVE ")).toList();
        return !reports.isEmpty() && !reports.get(reports.size() - 1).equals("ACTIVE 0");
    }
}

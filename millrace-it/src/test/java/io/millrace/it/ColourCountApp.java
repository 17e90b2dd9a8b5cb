package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The Kafka Streams application of {@code StreamsExactlyOnceIT}, with
 * {@code processing.guarantee=exactly_once_v2}: values "colour-c:n" from {@link #INPUT} are
 * re-keyed by colour ({@code selectKey}: a repartition topic), counted per colour
 * ({@code groupByKey().count()}: a state store and its changelog) and the counts written to
 * {@link #OUTPUT}. Runs in the test JVM ({@link #create}) or as a child JVM ({@link #spawn},
 * {@link #main}) that a test can kill with SIGKILL.
 */
final class ColourCountApp {
    static final String INPUT = "streams-in";
    static final String OUTPUT = "streams-counts";

    private ColourCountApp() {
    }

    /** A started-later instance of the application {@code applicationId}, state under {@code stateDir}. */
    static KafkaStreams create(String bootstrap, String applicationId, Path stateDir) {
        return create(bootstrap, applicationId, stateDir, java.util.Map.of());
    }

    /**
     * As {@link #create(String, String, Path)} with {@code overrides} set last; with
     * {@code group.protocol=streams} the consumer's session and heartbeat settings are left out
     * (the broker owns them under KIP-1071).
     */
    static KafkaStreams create(String bootstrap, String applicationId, Path stateDir,
                               java.util.Map<String, Object> overrides) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(INPUT)
                .selectKey((key, value) -> value.substring(0, value.indexOf(':')))
                .groupByKey()
                .count()
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 10_000);
        props.putAll(overrides);
        if ("streams".equals(props.get(StreamsConfig.GROUP_PROTOCOL_CONFIG))) {
            props.remove(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
            props.remove(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        }
        return new KafkaStreams(builder.build(), props);
    }

    /** An instance in a child JVM (its output in {@code log}); kill it with {@code destroyForcibly()}. */
    static Process spawn(String bootstrap, String applicationId, Path stateDir, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(ColourCountApp.class.getName());
        command.add(bootstrap);
        command.add(applicationId);
        command.add(stateDir.toString());
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child: runs one instance until killed, printing "ACTIVE n" (its active tasks) every 200 ms. */
    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = create(args[0], args[1], Path.of(args[2]));
        streams.start();
        while (true) {
            int active = streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
            System.out.println("ACTIVE " + active);
            System.out.flush();
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Whether a child's log (of {@link #spawn}) says it runs active tasks. */
    static boolean hasActiveTasks(Path log) {
        try {
            return java.nio.file.Files.readAllLines(log).stream()
                    .anyMatch(line -> line.startsWith("ACTIVE ") && !line.equals("ACTIVE 0"));
        } catch (IOException e) {
            return false;
        }
    }
}

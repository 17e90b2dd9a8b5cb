package io.millrace.bench.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * How long three Kafka Streams instances of one application take to settle, one joining after
 * the other, with {@code group.protocol=classic} or {@code streams} (KIP-1071). The topology
 * re-keys a 12-partition input topic (a repartition topic) and counts per key (a state store and
 * its changelog), writing the counts to a 1-partition output topic: 12 stateless and 12
 * stateful tasks. Each round uses a fresh application id, so fresh internal topics and a fresh
 * group, and a fresh state directory; the input is written once per broker, before the rounds.
 *
 * <p>Instance 1 starts, then 2, then 3, each only after the previous join settled. A join's time
 * runs from that instance's {@code start()} until every started instance is RUNNING and their
 * active tasks (from {@code metadataForLocalThreads()}) cover all 24 tasks once each, spread
 * evenly (largest minus smallest share at most 1): the group has stopped moving tasks. The
 * first-output time runs from instance 1's {@code start()} until a consumer of the output topic
 * sees the first count. One stream thread per instance; the clients' defaults otherwise, with a
 * 100 ms commit interval and no record cache so counts come out at once. Figures only: a join
 * that does not settle in {@link #SETTLE_TIMEOUT} is reported as NaN, never an error.
 */
public final class StreamsRebalanceWorkload {
    public static final int INSTANCES = 3;
    public static final int PARTITIONS = 12;
    public static final int INPUT_RECORDS = 12_000;
    private static final int KEYS = 240;
    private static final int TASKS = 2 * PARTITIONS;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    private static final long POLL_MILLIS = 10;

    /**
     * One round's figures, in milliseconds (NaN when it did not happen in time).
     *
     * @param joinMillis  per instance, its {@code start()} to the group settled with it
     * @param firstOutput instance 1's {@code start()} to the first count read from the output
     */
    public record Result(double[] joinMillis, double firstOutput) {
    }

    private StreamsRebalanceWorkload() {
    }

    /** Writes the input once: {@link #INPUT_RECORDS} string records over {@link #KEYS} keys, acks=all. */
    public static void writeInput(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        props.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < INPUT_RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % KEYS), "v" + i));
            }
            producer.flush();
        }
    }

    /** One round: a fresh application reading {@code input}, three instances joining one by one. */
    public static Result run(String bootstrap, String protocol, String input, String output, String applicationId,
                             Path stateRoot) throws Exception {
        List<KafkaStreams> instances = new ArrayList<>();
        double[] joins = new double[INSTANCES];
        AtomicLong firstOutputNanos = new AtomicLong();
        ExecutorService outputReader = Executors.newSingleThreadExecutor();
        long firstStart = 0;
        Future<?> reader;
        try (KafkaConsumer<byte[], byte[]> outputConsumer = Clients.consumer(bootstrap)) {
            TopicPartition out = new TopicPartition(output, 0);
            outputConsumer.assign(List.of(out));
            outputConsumer.seekToEnd(List.of(out));
            outputConsumer.position(out); // resolve the end now, before any count is written
            reader = outputReader.submit(() -> {
                long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos() * INSTANCES;
                while (firstOutputNanos.get() == 0 && System.nanoTime() < deadline
                        && !Thread.currentThread().isInterrupted()) {
                    ConsumerRecords<byte[], byte[]> records = outputConsumer.poll(Duration.ofMillis(POLL_MILLIS));
                    if (!records.isEmpty()) {
                        firstOutputNanos.compareAndSet(0, System.nanoTime());
                    }
                }
                return null;
            });
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    KafkaStreams streams = new KafkaStreams(topology(input, output),
                            config(bootstrap, protocol, applicationId, stateRoot.resolve("instance-" + i)));
                    instances.add(streams);
                    long start = System.nanoTime();
                    if (i == 0) {
                        firstStart = start;
                    }
                    streams.start();
                    joins[i] = awaitSettled(instances, start);
                }
                try {
                    reader.get(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // reported as NaN below
                }
            } finally {
                reader.cancel(true);
                outputReader.shutdownNow();
                outputReader.awaitTermination(10, TimeUnit.SECONDS);
                closeAll(instances);
            }
        } finally {
            deleteRecursively(stateRoot);
        }
        long first = firstOutputNanos.get();
        return new Result(joins, first == 0 ? Double.NaN : (first - firstStart) / 1e6);
    }

    private static org.apache.kafka.streams.Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .selectKey((key, value) -> key + "-x")
                .groupByKey(Grouped.with("rekeyed", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static Properties config(String bootstrap, String protocol, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    /** Milliseconds from {@code startNanos} until the started instances settled, NaN after the timeout. */
    private static double awaitSettled(List<KafkaStreams> instances, long startNanos) throws InterruptedException {
        long deadline = startNanos + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (settled(instances)) {
                return (System.nanoTime() - startNanos) / 1e6;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Double.NaN;
    }

    private static boolean settled(List<KafkaStreams> instances) {
        Set<String> tasks = new HashSet<>();
        int total = 0;
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (KafkaStreams streams : instances) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                return false;
            }
            int owned = 0;
            try {
                for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                    for (TaskMetadata task : thread.activeTasks()) {
                        tasks.add(task.taskId().toString());
                        owned++;
                    }
                }
            } catch (IllegalStateException e) {
                return false; // left RUNNING in between
            }
            total += owned;
            least = Math.min(least, owned);
            most = Math.max(most, owned);
        }
        return tasks.size() == TASKS && total == TASKS && most - least <= 1;
    }

    private static void closeAll(List<KafkaStreams> instances) throws InterruptedException {
        ExecutorService closers = Executors.newFixedThreadPool(Math.max(1, instances.size()));
        for (KafkaStreams streams : instances) {
            closers.submit(() -> streams.close(Duration.ofSeconds(30)));
        }
        closers.shutdown();
        closers.awaitTermination(60, TimeUnit.SECONDS);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

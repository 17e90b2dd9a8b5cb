package io.millrace.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How long an embedded broker takes from "start" to the first acknowledged produce (to a topic
 * the produce creates), in a fresh JVM and then again six times in the same one:
 * {@link EmbeddedMillrace}, or Apache Kafka's own broker in-process ({@link KafkaInProcess}) when
 * its classes are on the class path (the {@code startup-comparison} profile). Prints figures;
 * asserts nothing about them. Run by hand with the commands in the module README.
 */
public final class StartupComparison {
    private static final int RUNS = 7;

    private StartupComparison() {
    }

    /** {@code millrace} or {@code kafka}: which one to start (each in a JVM of its own, so neither warms the other's classes). */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "millrace";
        if (which.equals("millrace")) {
            report("Millrace EmbeddedMillrace (1 node)", measure("millrace", () -> {
                EmbeddedMillrace m = EmbeddedMillrace.start();
                return new Started(m.bootstrapServers(), m);
            }));
        } else if (!KafkaInProcess.available()) {
            System.out.println("Apache Kafka's broker is not on the class path (profile startup-comparison)");
        } else {
            report("Apache Kafka KafkaRaftServer in-process (1 combined KRaft node)",
                    measure("kafka", KafkaInProcess::start));
        }
    }

    record Started(String bootstrap, AutoCloseable handle) {
    }

    interface Starter {
        Started start() throws Exception;
    }

    private static List<Long> measure(String topicPrefix, Starter starter)
            throws Exception {
        List<Long> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long begin = System.nanoTime();
            Started started = starter.start();
            long startedAt = System.nanoTime();
            try {
                Properties props = new Properties();
                props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, started.bootstrap());
                props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
                try (KafkaProducer<String, String> producer =
                             new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                    producer.send(new ProducerRecord<>(topicPrefix + "-first", "k", "v")).get();
                }
                runs.add(Duration.ofNanos(System.nanoTime() - begin).toMillis());
                System.out.printf("  %s run %d: started in %d ms, first acknowledged produce %d ms later%n", topicPrefix,
                        run + 1, Duration.ofNanos(startedAt - begin).toMillis(),
                        Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
            } finally {
                started.handle().close();
            }
        }
        return runs;
    }

    private static void report(String what, List<Long> runs) {
        List<Long> warm = runs.subList(1, runs.size()).stream().sorted().toList();
        System.out.printf("%s: start -> first acknowledged produce: first run %d ms, then median %d ms (min %d, max %d) over %d runs%n",
                what, runs.get(0), warm.get(warm.size() / 2), warm.get(0), warm.get(warm.size() - 1), warm.size());
    }
}

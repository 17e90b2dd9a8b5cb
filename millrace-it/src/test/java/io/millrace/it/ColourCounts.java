package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The input and the expected output of {@link ColourCountApp}: numbered records "colour-c:n"
 * (c = n % {@value #COLOURS}) written to its input topic, and each colour's counts read back from
 * its output topic with read_committed. Stateless; each call opens and closes its own clients.
 */
final class ColourCounts {
    static final int COLOURS = 7;
    private static final int PARTITIONS = 3;

    private ColourCounts() {
    }

    /** Values "colour-c:n" for n in [from, to), keyed by n, acknowledged. */
    static void produce(String bootstrap, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int n = from; n < to; n++) {
                acks.add(producer.send(new ProducerRecord<>(ColourCountApp.INPUT, "n" + n,
                        "colour-" + (n % COLOURS) + ":" + n)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Waits until each colour's last committed count is exact for {@code total} records, then
     * checks that no committed count ever went past it (a record processed twice would).
     */
    static void awaitExact(String bootstrap, int total, Duration timeout) {
        Map<String, Long> expected = new HashMap<>();
        for (int n = 0; n < total; n++) {
            expected.merge("colour-" + (n % COLOURS), 1L, Long::sum);
        }
        Await.until("each colour's last committed count is exact", timeout, () -> last(bootstrap).equals(expected));
        Map<String, Long> max = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committed(bootstrap)) {
            max.merge(r.key(), r.value(), Math::max);
        }
        assertEquals(expected, max, "no count ever went past the exact one (nothing processed twice)");
    }

    /** Each colour's last committed count. */
    static Map<String, Long> last(String bootstrap) {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<String, Long> r : committed(bootstrap)) {
            last.put(r.key(), r.value()); // one colour lives in one partition, so its records are in order
        }
        return last;
    }

    /** Every record of the output topic, read with read_committed up to its current end. */
    static List<ConsumerRecord<String, Long>> committed(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, Long>> records = new ArrayList<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new LongDeserializer())) {
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(ColourCountApp.OUTPUT, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp); // the last stable offset
                records.addAll(Clients.pollUntil(consumer, tp, end));
            }
        }
        return records;
    }
}

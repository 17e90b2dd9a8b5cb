package io.millrace.it.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Verifies a finished run by reading every partition from the beginning: every acknowledged
 * value present exactly once at the offset its acknowledgement gave, each producer's values in
 * increasing order within each partition, and every record the group read still at its offset.
 * Returns the violations (empty: the run is correct), at most {@link #MAX_LISTED} per kind.
 */
final class Checker {
    private static final int MAX_LISTED = 20;

    /** What the checker found besides violations. */
    record Summary(long records, long acked, long unackedWritten, long readByGroup, List<String> violations) {
    }

    private Checker() {
    }

    static Summary check(String bootstrap, String topic, int partitions, List<ChaosProducer> producers,
                         List<GroupReader> readers) {
        Map<Integer, Map<Long, String>> logs = new HashMap<>();
        Map<String, Integer> occurrences = new HashMap<>();
        List<String> violations = new ArrayList<>();
        long records = 0;
        for (int p = 0; p < partitions; p++) {
            Map<Long, String> log = readPartition(bootstrap, new TopicPartition(topic, p));
            logs.put(p, log);
            records += log.size();
            Map<String, Long> lastSeq = new HashMap<>();
            for (Map.Entry<Long, String> e : log.entrySet()) {
                occurrences.merge(e.getValue(), 1, Integer::sum);
                String[] parts = e.getValue().split(":");
                long seq = Long.parseLong(parts[1]);
                Long previous = lastSeq.put(parts[0], seq);
                if (previous != null && seq <= previous) {
                    add(violations, "REORDERED: partition " + p + " offset " + e.getKey() + " holds " + e.getValue()
                            + " after " + parts[0] + ":" + previous);
                }
            }
        }
        long acked = 0;
        for (ChaosProducer producer : producers) {
            for (Map.Entry<Long, ChaosProducer.Ack> e : producer.acked().entrySet()) {
                acked++;
                String value = producer.name() + ":" + e.getKey();
                ChaosProducer.Ack ack = e.getValue();
                String found = logs.get(ack.partition()).get(ack.offset());
                if (!value.equals(found)) {
                    add(violations, "LOST: " + value + " acknowledged at partition " + ack.partition() + " offset "
                            + ack.offset() + ", which holds " + found);
                }
                if (occurrences.getOrDefault(value, 0) > 1) {
                    add(violations, "DUPLICATE: acknowledged " + value + " is in the log "
                            + occurrences.get(value) + " times");
                }
            }
        }
        long readByGroup = 0;
        for (GroupReader reader : readers) {
            for (GroupReader.Seen seen : reader.seen()) {
                readByGroup++;
                String found = logs.get(seen.partition()).get(seen.offset());
                if (!seen.value().equals(found)) {
                    add(violations, "READ THEN LOST: the group read " + seen.value() + " at partition "
                            + seen.partition() + " offset " + seen.offset() + ", which now holds " + found);
                }
            }
        }
        return new Summary(records, acked, records - acked, readByGroup, violations);
    }

    private static void add(List<String> violations, String violation) {
        String kind = violation.substring(0, violation.indexOf(':'));
        if (violations.stream().filter(v -> v.startsWith(kind + ":")).count() < MAX_LISTED) {
            violations.add(violation);
        }
    }

    /** offset → value of every record in the partition up to its end offset, in offset order. */
    private static Map<Long, String> readPartition(String bootstrap, TopicPartition partition) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, String> log = new java.util.LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Timed out reading " + partition + " to offset " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                    log.put(record.offset(), record.value());
                }
            }
        }
        return log;
    }
}

package io.millrace.bench.workload;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic's first {@code records} records with one default consumer, assigned every
 * partition and sought to the beginning (no group). The clock runs from the first poll (which
 * also looks up the start offsets) to the last record.
 */
public final class ConsumeWorkload {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);

    private ConsumeWorkload() {
    }

    public static Throughput run(String bootstrap, List<TopicPartition> partitions, long records)
            throws Exception {
        return run(bootstrap, Map.of(), partitions, records);
    }

    /** As {@link #run(String, List, long)} with the client's {@code security} settings (TLS). */
    public static Throughput run(String bootstrap, Map<String, Object> security, List<TopicPartition> partitions,
                                 long records) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, security)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + TIMEOUT.toNanos();
            while (count < records) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    bytes += record.serializedValueSize();
                }
                count += batch.count();
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Consumed " + count + " of " + records + " records of "
                            + partitions + " in " + TIMEOUT.toSeconds() + " s");
                }
            }
            return new Throughput(count, bytes, (System.nanoTime() - start) / 1e9);
        }
    }
}

package io.millrace.bench.workload;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A transactional producer (kafka-clients' defaults plus a {@code transactional.id}, so
 * idempotent and acks=all) sending {@code records} values of one size in transactions of
 * {@code perTransaction} records: begin, send them all, commit, as fast as the commits return.
 * The clock runs from the first {@code beginTransaction} to the last commit; {@code
 * initTransactions} and the producer's metadata come before. A failed send or commit ends the
 * run with its exception. Runs on the calling thread.
 */
public final class TransactionalProduceWorkload {
    private TransactionalProduceWorkload() {
    }

    public static Throughput run(String bootstrap, String topic, int records, int perTransaction, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + topic);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.partitionsFor(topic);
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start = System.nanoTime();
            int sent = 0;
            while (sent < records) {
                producer.beginTransaction();
                int batch = Math.min(perTransaction, records - sent);
                for (int i = 0; i < batch; i++) {
                    producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                producer.commitTransaction(); // flushes, fails if a send failed
                if (failure.get() != null) {
                    throw new IllegalStateException("Transactional produce to " + topic + " failed", failure.get());
                }
                sent += batch;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Throughput(records, (long) records * value.length, seconds);
        }
    }
}

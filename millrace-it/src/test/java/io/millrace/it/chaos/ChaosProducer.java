package io.millrace.it.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One idempotent acks=all producer sending the values {@code <name>:0}, {@code <name>:1}, ...
 * (key {@code <name>}) at a steady rate, round-robin over the partitions, skipping a partition
 * that has {@link #MAX_OUTSTANDING_PER_PARTITION} unanswered sends (a partition without a
 * leader must not stop the others). Remembers where each acknowledged value was written and
 * counts failures by exception class.
 *
 * <p>Threads: {@code chaos-producer-<name>} sends; kafka-clients' I/O thread runs the callbacks.
 */
final class ChaosProducer implements AutoCloseable {
    private static final int MAX_OUTSTANDING_PER_PARTITION = 500;

    /** Where an acknowledged value was written. */
    record Ack(int partition, long offset) {
    }

    private final String name;
    private final String topic;
    private final int partitions;
    private final long nanosPerRecord;
    private final KafkaProducer<String, String> producer;
    private final AckTimeline timeline;
    private final AtomicInteger[] outstanding;
    private final Map<Long, Ack> acked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final Thread sender;
    private volatile boolean stopping;
    private volatile long sent;

    ChaosProducer(String name, String bootstrap, String topic, int partitions, int recordsPerSecond,
                  AckTimeline timeline) {
        this.name = name;
        this.topic = topic;
        this.partitions = partitions;
        this.nanosPerRecord = 1_000_000_000L / recordsPerSecond;
        this.timeline = timeline;
        this.outstanding = new AtomicInteger[partitions];
        for (int p = 0; p < partitions; p++) {
            outstanding[p] = new AtomicInteger();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-" + name);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.sender = Thread.ofPlatform().name("chaos-producer-" + name).daemon().unstarted(this::sendUntilStopped);
    }

    String name() {
        return name;
    }

    ChaosProducer start() {
        sender.start();
        return this;
    }

    /** Acknowledged values by sequence number. */
    Map<Long, Ack> acked() {
        return Map.copyOf(acked);
    }

    long sent() {
        return sent;
    }

    /** Failed sends by the exception's simple class name. */
    Map<String, Integer> failures() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        failures.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Stops sending and waits until every send is answered. */
    void stopAndDrain(Duration timeout) {
        stopping = true;
        try {
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        if (crash.get() != null) {
            throw new AssertionError("Producer " + name + " stopped sending", crash.get());
        }
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(10));
    }

    private void sendUntilStopped() {
        try {
            long begin = System.nanoTime();
            int next = 0;
            for (long seq = 0; !stopping; ) {
                long early = begin + seq * nanosPerRecord - System.nanoTime();
                if (early > 0) {
                    TimeUnit.NANOSECONDS.sleep(early);
                }
                int partition = -1;
                for (int i = 0; i < partitions && partition < 0; i++) {
                    int candidate = (next + i) % partitions;
                    if (outstanding[candidate].get() < MAX_OUTSTANDING_PER_PARTITION) {
                        partition = candidate;
                    }
                }
                if (partition < 0) {
                    TimeUnit.MILLISECONDS.sleep(10); // every partition is stuck: pacing, not waiting
                    begin += TimeUnit.MILLISECONDS.toNanos(10);
                    continue;
                }
                next = partition + 1;
                send(seq, partition);
                sent = ++seq;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) {
                crash.set(e);
            }
        }
    }

    private void send(long seq, int partition) {
        outstanding[partition].incrementAndGet();
        producer.send(new ProducerRecord<>(topic, partition, name, name + ":" + seq), (metadata, error) -> {
            outstanding[partition].decrementAndGet();
            if (error == null) {
                acked.put(seq, new Ack(metadata.partition(), metadata.offset()));
                timeline.record(metadata.partition(), System.nanoTime());
            } else {
                failures.computeIfAbsent(error.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            }
        });
    }
}

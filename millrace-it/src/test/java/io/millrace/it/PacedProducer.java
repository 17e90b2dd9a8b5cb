package io.millrace.it;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A background producer sending one record every few milliseconds, round-robin over a topic's
 * partitions, until stopped; it remembers where each acknowledged record was written. Paced
 * rather than flat out, so it keeps records flowing through group rebalances without burying a
 * two-core test machine.
 *
 * <p>Thread-safety: one sending thread; {@link #acked()} may be read from any thread.
 */
final class PacedProducer implements AutoCloseable {
    /** Where a record was written. */
    record Written(TopicPartition partition, long offset) {
    }

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int partitions;
    private final long pauseMs;
    private final Set<Written> acked = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread sender;
    private volatile boolean stopping;

    PacedProducer(String bootstrap, String topic, int partitions, long pauseMs) {
        this.producer = Clients.producer(bootstrap, Map.of());
        this.topic = topic;
        this.partitions = partitions;
        this.pauseMs = pauseMs;
        this.sender = Thread.ofPlatform().name("paced-producer").daemon().start(this::sendUntilStopped);
    }

    Set<Written> acked() {
        return Set.copyOf(acked);
    }

    int ackedCount() {
        return acked.size();
    }

    /** Stops sending and waits for every send to be acknowledged; fails if any send failed. */
    Set<Written> stop() {
        stopping = true;
        try {
            sender.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new AssertionError("A send failed", failure.get());
        }
        return acked();
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(10));
    }

    private void sendUntilStopped() {
        try {
            for (int n = 0; !stopping; n++) {
                producer.send(new ProducerRecord<>(topic, n % partitions, null, Integer.toString(n)), (metadata, error) -> {
                    if (error == null) {
                        acked.add(new Written(new TopicPartition(metadata.topic(), metadata.partition()),
                                metadata.offset()));
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
                Thread.sleep(pauseMs);   // pacing, not waiting for a condition
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }
}

package io.millrace.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A background producer (acks=all, idempotent: the client's defaults) sending the values 0, 1,
 * 2, ... round-robin over a topic's partitions until stopped, remembering where each
 * acknowledged number was written. At most {@link #MAX_OUTSTANDING} sends are unacknowledged at
 * once, so an unreachable broker pauses the stream rather than filling memory.
 *
 * <p>Thread-safety: one thread ({@code numbered-stream}) sends; the producer's I/O thread records
 * acknowledgements; any thread may read them.
 */
public final class NumberedStream implements AutoCloseable {
    private static final int MAX_OUTSTANDING = 2_000;

    /** Where an acknowledged number was written. */
    public record Ack(int partition, long offset) {
    }

    private final String topic;
    private final int partitions;
    private final KafkaProducer<String, String> producer;
    private final Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
    private final Map<Integer, Ack> acked = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final AtomicReference<Throwable> senderCrash = new AtomicReference<>();
    private final Thread sender;
    private volatile boolean stopping;
    private volatile int sent;
    private volatile long nanosPerRecord;

    public NumberedStream(String bootstrap, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        this.producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000));
        this.sender = Thread.ofPlatform().name("numbered-stream").daemon().unstarted(this::sendUntilStopped);
    }

    /** Sends at most {@code recordsPerSecond} (a long run unthrottled would fill the test's heap). */
    public NumberedStream withRate(int recordsPerSecond) {
        nanosPerRecord = 1_000_000_000L / recordsPerSecond;
        return this;
    }

    public NumberedStream start() {
        sender.start();
        return this;
    }

    public int ackedCount() {
        return acked.size();
    }

    public Map<Integer, Ack> acked() {
        return Map.copyOf(acked);
    }

    public int sentCount() {
        return sent;
    }

    public int failedCount() {
        return failed.get();
    }

    public Throwable firstFailure() {
        return firstFailure.get();
    }

    /** Stops sending, waits for every outstanding send to be answered, closes the producer. */
    public void stopAndDrain(Duration timeout) {
        stopping = true;
        try {
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(timeout);
        if (senderCrash.get() != null) {
            throw new AssertionError("The sending thread failed", senderCrash.get());
        }
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(5));
    }

    private void sendUntilStopped() {
        try {
            long begin = System.nanoTime();
            for (int n = 0; !stopping; ) {
                long due = begin + n * nanosPerRecord;
                long early = due - System.nanoTime();
                if (early > 0) {
                    TimeUnit.NANOSECONDS.sleep(early);
                }
                if (!outstanding.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int number = n;
                int partition = number % partitions;
                producer.send(new ProducerRecord<>(topic, partition, null, Integer.toString(number)), (metadata, error) -> {
                    if (error == null) {
                        acked.put(number, new Ack(metadata.partition(), metadata.offset()));
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                    outstanding.release();
                });
                sent = ++n;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) {
                senderCrash.set(e);
            }
        }
    }
}

package io.millrace.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A background acks=all producer sending one numbered record every {@code pauseMs} to one topic,
 * remembering when each acknowledgement arrived: a fault's cost is the time from the fault to
 * the next acknowledgement and the longest gap between two. Paced, so a two-core machine is not
 * buried.
 *
 * <p>Thread-safety: one sending thread; the queries may be called from any thread.
 */
final class AckTimeline implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final long pauseMs;
    private final List<Long> ackTimesMs = new ArrayList<>(); // guarded by itself
    private final Set<String> ackedValues = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Thread sender;
    private volatile boolean stopping;

    AckTimeline(String bootstrap, String topic, long pauseMs) {
        this.producer = Clients.producer(bootstrap, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0));
        this.topic = topic;
        this.pauseMs = pauseMs;
        this.sender = Thread.ofPlatform().name("ack-timeline").daemon().start(this::sendUntilStopped);
    }

    /** Milliseconds from {@code sinceMs} (wall clock) to the first acknowledgement after it, or -1. */
    long firstAckAfter(long sinceMs) {
        synchronized (ackTimesMs) {
            return ackTimesMs.stream().filter(t -> t > sinceMs).findFirst().map(t -> t - sinceMs).orElse(-1L);
        }
    }

    /** The longest time between two consecutive acknowledgements at or after {@code sinceMs}. */
    long longestGapSince(long sinceMs) {
        synchronized (ackTimesMs) {
            long longest = 0;
            long previous = sinceMs;
            for (long t : ackTimesMs) {
                if (t >= sinceMs) {
                    longest = Math.max(longest, t - previous);
                    previous = t;
                }
            }
            return longest;
        }
    }

    int ackedCount() {
        return ackedValues.size();
    }

    Set<String> ackedValues() {
        return Set.copyOf(ackedValues);
    }

    int failures() {
        return failures.get();
    }

    Throwable firstFailure() {
        return firstFailure.get();
    }

    /** Stops sending and waits for outstanding sends to complete. */
    void stop() {
        stopping = true;
        try {
            sender.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(10));
    }

    private void sendUntilStopped() {
        try {
            for (int n = 0; !stopping; n++) {
                String value = Integer.toString(n);
                producer.send(new ProducerRecord<>(topic, null, value), (metadata, error) -> {
                    if (error == null) {
                        long now = System.currentTimeMillis();
                        synchronized (ackTimesMs) {
                            ackTimesMs.add(now);
                        }
                        ackedValues.add(value);
                    } else {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                });
                Thread.sleep(pauseMs); // pacing, not waiting for a condition
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
        }
    }
}

package io.millrace.bench.workload;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends {@code records} values of one size to a topic as fast as one default producer takes
 * them (no key, so the default partitioner spreads batches over the partitions). The clock runs
 * from the first send to the last acknowledgement; the producer's metadata is fetched before.
 *
 * <p>The first failed send ends the run at once, as does no acknowledgement for
 * {@link #STALL_TIMEOUT}: the producer's own delivery timeout (two minutes, by default) would
 * otherwise hide a broker that rejects batches behind minutes of retries.
 */
public final class ProduceWorkload {
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private ProduceWorkload() {
    }

    public static Throughput run(String bootstrap, String topic, String acks, int records, byte[] value) throws Exception {
        return run(bootstrap, java.util.Map.of(), topic, acks, records, value);
    }

    /** As {@link #run(String, String, String, int, byte[])} with the client's {@code security} settings (TLS). */
    public static Throughput run(String bootstrap, java.util.Map<String, Object> security, String topic, String acks,
                                 int records, byte[] value) throws Exception {
        KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, acks, security);
        boolean failed = true;
        try {
            producer.partitionsFor(topic);
            AtomicLong acked = new AtomicLong();
            AtomicLong lastAckNanos = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            long start = System.nanoTime();
            for (int i = 0; i < records && !done.isDone(); i++) {
                producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (acked.incrementAndGet() == records) {
                        lastAckNanos.set(System.nanoTime());
                        done.complete(null);
                    }
                });
            }
            awaitAcks(topic, done, acked);
            failed = false;
            return new Throughput(records, (long) records * value.length, (lastAckNanos.get() - start) / 1e9);
        } finally {
            // After a failure the producer would go on retrying: drop what it still holds.
            producer.close(failed ? Duration.ZERO : STALL_TIMEOUT);
        }
    }

    private static void awaitAcks(String topic, CompletableFuture<Void> done, AtomicLong acked) throws Exception {
        long seen = -1;
        long progressNanos = System.nanoTime();
        while (true) {
            try {
                done.get(1, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("Produce to " + topic + " failed after " + acked.get() + " acks: "
                        + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (acked.get() != seen) {
                    seen = acked.get();
                    progressNanos = now;
                } else if (now - progressNanos > STALL_TIMEOUT.toNanos()) {
                    throw new TimeoutException("Produce to " + topic + " stalled at " + seen + " acks for "
                            + STALL_TIMEOUT.toSeconds() + " s");
                }
            }
        }
    }
}

package io.millrace.bench.workload;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end latency at a fixed rate: one default producer (acks=all, the default) sends
 * {@code rate} records a second to one partition, each value starting with its index and the
 * {@link System#nanoTime()} of its {@code send()} call; one consumer in this JVM, assigned the
 * partition, records receipt time minus that. The first second is a lead-in and not counted.
 *
 * <p>Threads: the caller sends; {@code latency-consumer} receives into a preallocated array.
 * Value layout: int32 index, int64 send nanoTime, then filler up to the record size.
 */
public final class LatencyWorkload {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int INDEX_OFFSET = 0;
    private static final int SENT_NANOS_OFFSET = 4;

    private LatencyWorkload() {
    }

    /** Latency percentiles and the maximum of one run, in milliseconds. */
    public record Result(double p50, double p99, double p999, double p9999, double max, int samples) {
    }

    public static Result run(String bootstrap, TopicPartition partition, int rate, int seconds, int valueBytes)
            throws Exception {
        int leadIn = rate;
        int total = leadIn + rate * seconds;
        long[] latencies = new long[total];
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread consumer = new Thread(() -> receive(bootstrap, partition, latencies, ready, done, failure),
                "latency-consumer");
        consumer.start();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, "all")) {
            producer.partitionsFor(partition.topic());
            if (!ready.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TimeoutException("The latency consumer did not start");
            }
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < total && failure.get() == null; i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                ByteBuffer value = ByteBuffer.allocate(valueBytes);
                value.putInt(INDEX_OFFSET, i).putLong(SENT_NANOS_OFFSET, System.nanoTime());
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, value.array()),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
            if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS) && failure.get() == null) {
                failure.set(new TimeoutException("Not every record of the latency run arrived"));
            }
        } finally {
            consumer.interrupt();
            consumer.join(TIMEOUT.toMillis());
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long[] counted = Arrays.copyOfRange(latencies, leadIn, total);
        Arrays.sort(counted);
        return new Result(percentile(counted, 0.50), percentile(counted, 0.99), percentile(counted, 0.999),
                percentile(counted, 0.9999), counted[counted.length - 1] / 1e6, counted.length);
    }

    private static void receive(String bootstrap, TopicPartition partition, long[] latencies, CountDownLatch ready,
                                CountDownLatch done, AtomicReference<Exception> failure) {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            ready.countDown();
            int received = 0;
            while (received < latencies.length && !Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    latencies[value.getInt(INDEX_OFFSET)] = now - value.getLong(SENT_NANOS_OFFSET);
                    received++;
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // Stopped by the sender after a failure or timeout.
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        } finally {
            ready.countDown();
            done.countDown();
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    static double percentile(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}

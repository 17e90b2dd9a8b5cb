package io.millrace.it.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One member of the chaos consumer group, polling on its own thread through the whole run and
 * recording every record it is given (partition, offset, value), so the checker can verify that
 * nothing the group read was lost afterwards. Commits automatically; a poll that fails (a
 * coordinator moving, say) is counted and polled again.
 *
 * <p>Threads: {@code chaos-reader-<n>} owns the consumer; {@link #seen()} is safe from any thread.
 */
final class GroupReader implements AutoCloseable {
    /** A record as the group read it. */
    record Seen(int partition, long offset, String value) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pollErrors = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;

    GroupReader(int member, String bootstrap, String topic, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chaos-reader-" + member);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        this.consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        this.thread = Thread.ofPlatform().name("chaos-reader-" + member).daemon().start(this::pollUntilStopped);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    int pollErrors() {
        return pollErrors.get();
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollUntilStopped() {
        try {
            while (!stopping) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        seen.add(new Seen(record.partition(), record.offset(), record.value()));
                    }
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    pollErrors.incrementAndGet();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}

package io.millrace.bench.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Share groups (KIP-932): {@code consumers} {@link KafkaShareConsumer}s of one share group, each
 * on its own thread with kafka-clients' defaults (implicit acknowledgement: a poll accepts what
 * the one before it returned), read a topic that already holds {@code records} records. The group
 * starts at the earliest offset ({@code share.auto.offset.reset=earliest}, set through
 * IncrementalAlterConfigs before the first consumer joins). The clock runs from the first record
 * any consumer receives (joining the group is not counted: Kafka's first assignment waits for a
 * heartbeat, which would dominate short runs) until they have received {@code records} records
 * between them; a record delivered twice counts twice, as it is work done twice. Not thread-safe: one run
 * at a time.
 */
public final class ShareConsumeWorkload {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Duration POLL = Duration.ofMillis(200);

    private ShareConsumeWorkload() {
    }

    public static Throughput run(String bootstrap, String topic, String group, int consumers, long records)
            throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong firstRecordNanos = new AtomicLong();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < consumers; i++) {
            Thread thread = new Thread(() -> {
                try (KafkaShareConsumer<byte[], byte[]> consumer = consumer(bootstrap, group)) {
                    consumer.subscribe(List.of(topic));
                    while (count.get() < records && System.nanoTime() < deadline) {
                        ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                        if (!batch.isEmpty()) {
                            firstRecordNanos.compareAndSet(0, System.nanoTime());
                        }
                        long size = 0;
                        for (ConsumerRecord<byte[], byte[]> record : batch) {
                            size += record.serializedValueSize();
                        }
                        bytes.addAndGet(size);
                        count.addAndGet(batch.count());
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "share-consumer-" + i);
            thread.start();
            threads.add(thread);
        }
        long end = 0;
        long got = 0;
        long gotBytes = 0;
        while (end == 0) {
            if (count.get() >= records) {
                end = System.nanoTime();
                got = count.get();
                gotBytes = bytes.get();
            } else if (System.nanoTime() > deadline || failures.size() == consumers) {
                break;
            } else {
                Thread.sleep(1); // polling the shared counter; the consumers do the work
            }
        }
        for (Thread thread : threads) {
            thread.join(TIMEOUT.toMillis());
        }
        if (end == 0) {
            throw new TimeoutException("Share consumers got " + count.get() + " of " + records + " records of "
                    + topic + " in " + TIMEOUT.toSeconds() + " s" + (failures.isEmpty() ? "" : "; " + failures));
        }
        return new Throughput(got, gotBytes, (end - firstRecordNanos.get()) / 1e9);
    }

    private static KafkaShareConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaShareConsumer<>(props);
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4, section 5: a consumer group keeps consuming while the node leading its coordinator's
 * {@code __consumer_offsets} partition is killed (SIGKILL). The group finds the new coordinator
 * (the partition's new leader), and every record is consumed at least once; the committed
 * offsets end at the end of the log.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CoordinatorFailoverIT extends ClusterTest {
    private static final String TOPIC = "events";
    private static final String GROUP = "survivors";
    private static final int PARTITIONS = 3;
    private static final int PER_PHASE = 1_500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    GroupReader reader;

    @AfterEach
    void stopReader() {
        Clients.closeAll(reader);
    }

    @Test
    void theGroupConsumesThroughACoordinatorDeath() throws Exception {
        startCluster(3);
        Admin admin = cluster.admin();
        cluster.createTopic(admin, TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));

        produce(0, PER_PHASE);
        reader = new GroupReader(cluster.bootstrapServers());
        Await.until("the group consumed and committed 300 records", TIMEOUT,
                () -> reader.consumed.size() >= 300 && reader.commits.get() > 0);
        int coordinator = Await.value("the group's coordinator", TIMEOUT, () -> {
            ConsumerGroupDescription group = Clients.get(admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups().get(GROUP));
            return group.coordinator() != null && !group.coordinator().isEmpty() ? group.coordinator().id() : null;
        });

        cluster.kill9(coordinator);
        long killedAt = System.nanoTime();
        int commitsAtKill = reader.commits.get();
        produce(PER_PHASE, 2 * PER_PHASE);
        Set<Integer> all = IntStream.range(0, 2 * PER_PHASE).boxed().collect(Collectors.toSet());
        Await.until("every record consumed at least once (" + reader.consumed.size() + " so far)", TIMEOUT,
                () -> reader.consumed.keySet().containsAll(all));
        Await.until("a commit through the new coordinator", TIMEOUT, () -> reader.commits.get() > commitsAtKill);
        System.out.println("CoordinatorFailoverIT: coordinator " + coordinator + " killed; all records consumed "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms later (" + reader.clientErrors.get()
                + " poll/commit errors on the way)");

        int newCoordinator = Await.value("a new coordinator", TIMEOUT, () -> {
            ConsumerGroupDescription group = Clients.get(admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups().get(GROUP));
            int id = group.coordinator() == null || group.coordinator().isEmpty() ? -1 : group.coordinator().id();
            return id > 0 && id != coordinator ? id : null;
        });
        assertTrue(newCoordinator != coordinator);
        Await.until("committed offsets reach the end of every partition", TIMEOUT, () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = Clients.get(
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata());
            long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            return total == 2L * PER_PHASE;
        });
        reader.close();
        assertNull(reader.failure.get(), "the consumer thread failed");
        assertEquals(2 * PER_PHASE, reader.consumed.keySet().size());
    }

    /** Sends values from..to-1 round-robin over the partitions with acks=all and waits for the acks. */
    private void produce(int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of("delivery.timeout.ms", 60_000, "request.timeout.ms", 10_000))) {
            List<Future<RecordMetadata>> acks = new java.util.ArrayList<>();
            for (int n = from; n < to; n++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, n % PARTITIONS, null, Integer.toString(n))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(70, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * One group member on its own thread ({@code group-reader}), which owns the consumer: polls,
     * records each value, commits synchronously after each poll; a failed poll or commit
     * (coordinator moving) is counted in {@code clientErrors} and the loop goes on.
     */
    private static final class GroupReader implements AutoCloseable {
        final Map<Integer, Integer> consumed = new ConcurrentHashMap<>();
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger clientErrors = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean stopping;

        GroupReader(String bootstrap) {
            consumer = Clients.consumer(bootstrap, Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500));
            consumer.subscribe(List.of(TOPIC));
            thread = Thread.ofPlatform().name("group-reader").daemon().start(this::run);
        }

        private void run() {
            try {
                while (!stopping) {
                    try {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            consumed.merge(Integer.parseInt(record.value()), 1, Integer::sum);
                        }
                        consumer.commitSync(Duration.ofSeconds(5));
                        commits.incrementAndGet();
                    } catch (WakeupException e) {
                        throw e;
                    } catch (KafkaException e) {
                        // The coordinator is moving or the group rebalancing: the next poll goes on.
                        clientErrors.incrementAndGet();
                    }
                }
            } catch (WakeupException e) {
                // close() asked us to stop
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            consumer.wakeup();
            thread.join(15_000);
        }
    }
}

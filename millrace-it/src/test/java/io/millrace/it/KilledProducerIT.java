package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transactional producer killed (SIGKILL of its JVM, {@link OpenTransactionProducer}) in the
 * middle of a transaction: a read_committed consumer is held at the open transaction's first
 * offset no longer than the transaction timeout (the coordinator's time-out pass aborts it), then
 * reads past the aborted records to what was committed afterwards; the offsets the transaction
 * committed for a group vanish with it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KilledProducerIT {
    private static final String TOPIC = "killed-producer";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int TRANSACTION_TIMEOUT_MS = 5_000;
    private static final int CLEANUP_INTERVAL_MS = 1_000;
    private static final String GROUP = "killed-producer-group";

    @TempDir
    Path dataDir;
    InProcessBroker broker;
    Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        Clients.closeAll(broker);
    }

    @Test
    void readCommittedMovesOnOnceTheKilledProducersTransactionTimesOut() throws Exception {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", String.valueOf(CLEANUP_INTERVAL_MS)));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
        }
        try (KafkaProducer<String, String> plain = Clients.producer(broker.bootstrap())) {
            plain.send(new ProducerRecord<>(TOPIC, 0, "k", "before")).get(30, TimeUnit.SECONDS);    // 0
        }

        child = new ProcessBuilder(BrokerProcess.javaBinary(), "-Xmx128m", "-cp", BrokerProcess.classPath(),
                OpenTransactionProducer.class.getName(), broker.bootstrap(), "killed-txn", TOPIC, "3",
                String.valueOf(TRANSACTION_TIMEOUT_MS), GROUP).redirectErrorStream(true).start();
        awaitSent(child);                                                                              // 1-3
        long sentAt = System.nanoTime();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the producer's JVM exited");

        try (KafkaProducer<String, String> committer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "committer-txn"))) {
            committer.initTransactions();
            committer.beginTransaction();
            committer.send(new ProducerRecord<>(TOPIC, 0, "k", "committed-after"));                  // 4
            committer.commitTransaction();                                                            // 5
        }

        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(TP));
            long blockedEnd = consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
            if (System.nanoTime() - sentAt < TimeUnit.MILLISECONDS.toNanos(TRANSACTION_TIMEOUT_MS - 1_000)) {
                assertEquals(1, blockedEnd, "read_committed stops at the open transaction");
            }
            consumer.seekToBeginning(List.of(TP));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.contains("committed-after") && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)).records(TP)) {
                    seen.add(record.value());
                }
            }
            long blockedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            System.out.println("read_committed was held " + blockedMs + " ms after the producer was killed");
            assertEquals(List.of("before", "committed-after"), seen);
            assertTrue(blockedMs <= TRANSACTION_TIMEOUT_MS + 2L * CLEANUP_INTERVAL_MS + 3_000,
                    "held " + blockedMs + " ms, the transaction timeout is " + TRANSACTION_TIMEOUT_MS);
        }
        // the aborted transaction's offset commit vanished: a read_committed consumer's committed()
        // (OffsetFetch with require_stable) answers at once, with nothing committed
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            assertEquals(null, member.committed(Set.of(TP), Duration.ofSeconds(10)).get(TP));
        }
    }

    /** Waits for the child's {@value OpenTransactionProducer#SENT} line; fails with its output otherwise. */
    private static void awaitSent(Process process) throws Exception {
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
        });
        Await.until("the producer's JVM sent its records", Duration.ofSeconds(60), () -> {
            synchronized (output) {
                if (!process.isAlive() && !output.toString().contains(OpenTransactionProducer.SENT)) {
                    throw new AssertionError("the producer's JVM exited: " + output);
                }
                return output.toString().contains(OpenTransactionProducer.SENT + "\n");
            }
        });
        assertTrue(reader.isAlive() || output.length() > 0);
    }
}

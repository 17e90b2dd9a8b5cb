package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker (an OS process, {@link BrokerProcess}) restarted cleanly or killed with SIGKILL while a
 * transaction is open, after a committed and an aborted one, each in segments of their own (the
 * open one spanning a roll, so a producer state snapshot holds it open): on its return the last stable offset
 * is still at the open transaction, DescribeProducers still shows it (producer state recovered),
 * read_committed still skips the aborted records (aborted index recovered); a new producer with
 * the same transactional id fences and aborts the open transaction and commits, and read_committed
 * then sees every committed record and nothing aborted. The open transaction's group offset commit
 * is pending again after the restart (UNSTABLE_OFFSET_COMMIT), vanishes with the fenced transaction,
 * and the successor's committed offset is the group's. The two tests (a broker each) run at once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerRestartMidTransactionIT {
    private static final String TOPIC = "restart-txn";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final String TRANSACTIONAL_ID = "restart-txn-id";
    private static final String GROUP = "restart-txn-group";

    @TempDir
    Path dataDir;
    BrokerProcess broker;

    @RegisterExtension
    final BrokerLogOnFailure brokerLog = new BrokerLogOnFailure();

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aCleanRestartKeepsTheOpenTransaction() throws Exception {
        survives(BrokerProcess::stopGracefully, "clean");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aKill9KeepsTheOpenTransaction() throws Exception {
        survives(BrokerProcess::kill9, "kill9");
    }

    private void survives(Consumer<BrokerProcess> stop, String name) throws Exception {
        broker = brokerLog.watch(BrokerProcess.start(dataDir.resolve("data"), Path.of("target", "broker-logs",
                "restart-mid-transaction-" + name + ".log"), Map.of("transaction.state.log.num.partitions", "1")));
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            // segments roll every 100 ms: each transaction begins a segment, the open one spans two, and
            // the roll inside it snapshots producer state with the transaction open
            // a node answers describeCluster a moment before its registration lets it host replicas
            Await.until("the topic is created", Duration.ofSeconds(30), () -> {
                Clients.createTopic(admin, TOPIC, 1, Map.of("segment.ms", "100"));
                return true;
            });
        }
        KafkaProducer<String, String> first = transactional();
        first.initTransactions();
        first.beginTransaction();
        first.send(new ProducerRecord<>(TOPIC, 0, "k", "c1"));
        first.send(new ProducerRecord<>(TOPIC, 0, "k", "c2"));
        first.commitTransaction();                                                           // 0-1, marker 2
        Thread.sleep(150);
        first.beginTransaction();
        first.send(new ProducerRecord<>(TOPIC, 0, "k", "a1"));
        first.flush();
        first.abortTransaction();                                                            // 3, marker 4
        Thread.sleep(150);
        first.beginTransaction();
        first.send(new ProducerRecord<>(TOPIC, 0, "k", "o1")).get(30, TimeUnit.SECONDS);
        Thread.sleep(150);
        first.send(new ProducerRecord<>(TOPIC, 0, "k", "o2")).get(30, TimeUnit.SECONDS);     // 5-6, open
        first.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(42)), new ConsumerGroupMetadata(GROUP));
        first.close(Duration.ZERO);
        assertEquals(5, readCommittedEnd());
        assertEquals(OptionalLong.of(5), openTransactionStart());

        stop.accept(broker);
        broker.restart();

        assertEquals(5, readCommittedEnd(), "the last stable offset is recovered");
        assertEquals(7, readUncommittedEnd());
        assertEquals(OptionalLong.of(5), openTransactionStart(), "the producer state is recovered");
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            TransactionDescription described = Clients.get(admin.describeTransactions(List.of(TRANSACTIONAL_ID))
                    .description(TRANSACTIONAL_ID));
            assertEquals(TransactionState.ONGOING, described.state(), "the coordinator's state is recovered");
            assertEquals(Set.of(TOPIC, "__consumer_offsets"), described.topicPartitions().stream()
                    .map(TopicPartition::topic).collect(Collectors.toSet()), "the data and the group's offsets partition");
            assertTrue(described.topicPartitions().contains(TP), described.toString());
        }
        assertEquals(List.of("c1", "c2"), read("read_committed", 5), "the aborted index is recovered");

        assertThrows(TimeoutException.class, this::committedOffset,
                "the open transaction's offset commit is pending again: UNSTABLE_OFFSET_COMMIT until it ends");

        try (KafkaProducer<String, String> second = transactional()) {
            second.initTransactions();                                                       // abort marker 7
            assertNull(Await.value("the fenced transaction's offsets are gone", Duration.ofSeconds(30),
                    () -> Optional.ofNullable(committedOffset())).orElse(null));
            second.beginTransaction();
            second.send(new ProducerRecord<>(TOPIC, 0, "k", "c3"));
            second.sendOffsetsToTransaction(Map.of(TP, new OffsetAndMetadata(7)), new ConsumerGroupMetadata(GROUP));
            second.commitTransaction();                                                      // 8, marker 9
        }
        // commitTransaction returns once the commit is prepared; its markers follow
        Await.until("the commit marker moves the last stable offset", Duration.ofSeconds(30),
                () -> readCommittedEnd() == 10);
        assertEquals(List.of("c1", "c2", "c3"), read("read_committed", 10));
        assertEquals(List.of("c1", "c2", "a1", "o1", "o2", "c3"), read("read_uncommitted", 10));
        assertEquals(OptionalLong.empty(), openTransactionStart());
        assertEquals(new OffsetAndMetadata(7), Await.value("the committed offset", Duration.ofSeconds(30),
                this::committedOffset));
    }

    /** The group's committed offset of {@link #TP} as a read_committed member sees it (require_stable). */
    private OffsetAndMetadata committedOffset() {
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            return member.committed(Set.of(TP), Duration.ofSeconds(2)).get(TP);
        }
    }

    private KafkaProducer<String, String> transactional() {
        return Clients.producer(broker.bootstrap(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
    }

    private OptionalLong openTransactionStart() {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            List<ProducerState> producers = Clients.get(admin.describeProducers(List.of(TP)).partitionResult(TP))
                    .activeProducers();
            List<ProducerState> open = producers.stream()
                    .filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
            assertTrue(open.size() <= 1, producers.toString());
            return open.isEmpty() ? OptionalLong.empty() : open.get(0).currentTransactionStartOffset();
        }
    }

    private long readCommittedEnd() {
        return end("read_committed");
    }

    private long readUncommittedEnd() {
        return end("read_uncommitted");
    }

    private long end(String isolation) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            return consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
        }
    }

    private List<String> read(String isolation, long end) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            return Clients.pollUntil(consumer, TP, end).stream().map(ConsumerRecord::value).toList();
        }
    }
}

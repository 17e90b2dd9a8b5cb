package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.ProtocolRequests.TopicRef;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.tools.TransactionsCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code kafka-transactions.sh} ({@link TransactionsCommand}, in this JVM) against
 * one node: {@code list}, {@code describe} and {@code describe-producers} report an open
 * transaction of kafka-clients' producer truthfully (state, producer id, epoch, partitions, start
 * offset, coordinator epoch); {@code find-hanging} finds a transaction its coordinator does not
 * know (a batch in a transactional producer's name written after its transaction completed) and
 * {@code abort} ends it with the producer's coordinator epoch, after which read_committed
 * consumers move past it, also after a restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsToolIT {
    private static final String TOPIC = "tool-topic";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;
    InProcessBroker broker;
    Admin admin;

    @BeforeEach
    void startBroker() {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "3"));
        admin = Clients.admin(broker.bootstrap());
        Clients.createTopic(admin, TOPIC, 1, Map.of());
    }

    @AfterEach
    void stopBroker() {
        Clients.closeAll(admin, broker);
    }

    @Test
    void listDescribeAndDescribeProducersReportAnOpenTransaction() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tool-txn", ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 45_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            long openOffset = producer.send(new ProducerRecord<>(TOPIC, 0, "k", "open")).get(30, TimeUnit.SECONDS).offset();
            assertEquals(2, openOffset, "after the committed record and its marker");

            try (KafkaProducer<String, String> other = Clients.producer(broker.bootstrap(), Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "other-txn"))) {
                other.initTransactions(); // Empty: listed, but not under the pattern below
            }
            assertEquals(2, tool("list").rows().size());
            assertEquals(List.of(List.of("other-txn")), tool("list", "--transactional-id-pattern", "oth.*").rows().stream()
                    .map(r -> r.subList(0, 1)).toList());

            KafkaToolRun list = tool("list", "--transactional-id-pattern", "tool-.*");
            assertEquals(0, list.exitCode(), list.toString());
            assertEquals("tool-txn", list.only("TransactionalId"));
            assertEquals(String.valueOf(InProcessBroker.NODE_ID), list.only("Coordinator"));
            assertEquals("Ongoing", list.only("TransactionState"));
            String producerId = list.only("ProducerId");
            assertTrue(Long.parseLong(producerId) >= 0, producerId);

            KafkaToolRun describe = tool("describe", "--transactional-id", "tool-txn");
            assertEquals(0, describe.exitCode(), describe.toString());
            assertEquals(String.valueOf(InProcessBroker.NODE_ID), describe.only("CoordinatorId"));
            assertEquals("tool-txn", describe.only("TransactionalId"));
            assertEquals(producerId, describe.only("ProducerId"));
            assertEquals("1", describe.only("ProducerEpoch"),
                    "transaction version 2: the epoch is bumped when the first transaction ends");
            assertEquals("Ongoing", describe.only("TransactionState"));
            assertEquals("45000", describe.only("TransactionTimeoutMs"));
            assertEquals(TOPIC + "-0", describe.only("TopicPartitions"));
            assertTrue(Long.parseLong(describe.only("CurrentTransactionStartTimeMs")) > 0, describe.stdout());

            KafkaToolRun producers = tool("describe-producers", "--topic", TOPIC, "--partition", "0");
            assertEquals(0, producers.exitCode(), producers.toString());
            assertEquals(producerId, producers.only("ProducerId"));
            assertEquals("1", producers.only("ProducerEpoch"));
            assertEquals("0", producers.only("LastSequence"), "the open transaction's record is the first of epoch 1");
            assertEquals("2", producers.only("CurrentTransactionStartOffset"));
            KafkaToolRun onReplica = tool("describe-producers", "--topic", TOPIC, "--partition", "0", "--broker-id",
                    String.valueOf(InProcessBroker.NODE_ID));
            assertEquals(producers.rows(), onReplica.rows(), "the leader is the only replica");
            String coordinatorEpoch = producers.only("LatestCoordinatorEpoch");
            assertTrue(Integer.parseInt(coordinatorEpoch) >= 0, "the commit marker's coordinator epoch: " + coordinatorEpoch);

            KafkaToolRun notHanging = tool("find-hanging", "--broker-id", String.valueOf(InProcessBroker.NODE_ID),
                    "--max-transaction-timeout", "0");
            assertEquals(0, notHanging.exitCode(), notHanging.toString());
            assertEquals(List.of(), notHanging.rows(), "an open transaction its coordinator knows does not hang");

            KafkaToolRun unknown = tool("describe", "--transactional-id", "no-such-txn");
            assertEquals(1, unknown.exitCode(), unknown.toString());
            assertTrue((unknown.stdout() + unknown.stderr()).contains("could not be found"), unknown.toString());

            producer.commitTransaction();
            // commitTransaction returns at PrepareCommit; CompleteCommit follows the markers
            KafkaToolRun after = Await.value("CompleteCommit", Duration.ofSeconds(30), () -> {
                try {
                    KafkaToolRun run = tool("describe", "--transactional-id", "tool-txn");
                    return run.only("TransactionState").equals("CompleteCommit") ? run : null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("", after.only("TopicPartitions"), "a completed transaction has no partitions");
        }
    }

    @Test
    void findHangingFindsATransactionItsCoordinatorDoesNotKnowAndAbortEndsIt() throws Exception {
        TopicRef topic = new TopicRef(TOPIC, Clients.get(admin.describeTopics(List.of(TOPIC)).allTopicNames())
                .get(TOPIC).topicId());
        try (KafkaProducer<String, String> plain = Clients.producer(broker.bootstrap())) {
            plain.send(new ProducerRecord<>(TOPIC, 0, "k", "before")).get(30, TimeUnit.SECONDS);   // 0
        }
        // A transaction its coordinator does not know: the producer of "hang-txn" committed one
        // (leaving a marker with its coordinator epoch), then a batch in its name and epoch
        // arrives outside any transaction, as a lost AddPartitionsToTxn would leave it.
        ProducerState hangingProducer;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "hang-txn"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "committed"));                           // 1
            producer.commitTransaction();                                                               // 2
            // commitTransaction returns before the coordinator's marker is written
            hangingProducer = Await.value("the commit marker", Duration.ofSeconds(30), () -> Clients.get(
                    admin.describeProducers(List.of(TP)).partitionResult(TP)).activeProducers().stream()
                    .filter(p -> p.coordinatorEpoch().isPresent()).findFirst().orElse(null));
        }
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            PartitionProduceResponse produced = ProtocolRequests.produce(raw, topic, 0, KafkaRecords.batchBuilder()
                    // transaction version 2: the commit marker bumped the epoch, whose sequence starts at 0
                    .producer(hangingProducer.producerId(), (short) hangingProducer.producerEpoch(), 0).transactional(true)
                    .add(System.currentTimeMillis(), "k", "hanging").build());                           // 3
            assertEquals(Errors.NONE, Errors.forCode(produced.errorCode()));
        }
        try (KafkaProducer<String, String> plain = Clients.producer(broker.bootstrap())) {
            plain.send(new ProducerRecord<>(TOPIC, 0, "k", "after")).get(30, TimeUnit.SECONDS);    // 4
        }
        assertEquals(3, readCommittedEnd(), "the hanging transaction holds the last stable offset");

        KafkaToolRun hanging = tool("find-hanging", "--broker-id", String.valueOf(InProcessBroker.NODE_ID),
                "--max-transaction-timeout", "0");
        assertEquals(0, hanging.exitCode(), hanging.toString());
        assertEquals(TOPIC, hanging.only("Topic"));
        assertEquals("0", hanging.only("Partition"));
        assertEquals(String.valueOf(hangingProducer.producerId()), hanging.only("ProducerId"));
        assertEquals(String.valueOf(hangingProducer.producerEpoch()), hanging.only("ProducerEpoch"));
        assertEquals(String.valueOf(hangingProducer.coordinatorEpoch().getAsInt()), hanging.only("CoordinatorEpoch"));
        assertEquals("3", hanging.only("StartOffset"));

        KafkaToolRun byTopic = tool("find-hanging", "--topic", TOPIC, "--max-transaction-timeout", "0");
        assertEquals(hanging.rows(), byTopic.rows());

        KafkaToolRun abort = tool("abort", "--topic", TOPIC, "--partition", "0", "--start-offset", "3");
        assertEquals(0, abort.exitCode(), abort.toString());

        Await.until("the last stable offset passes the aborted transaction", Duration.ofSeconds(30),
                () -> readCommittedEnd() == 6);
        List<ProducerState> producers = Clients.get(admin.describeProducers(List.of(TP)).partitionResult(TP))
                .activeProducers();
        assertTrue(producers.stream().noneMatch(p -> p.currentTransactionStartOffset().isPresent()), producers.toString());
        KafkaToolRun none = tool("find-hanging", "--broker-id", String.valueOf(InProcessBroker.NODE_ID),
                "--max-transaction-timeout", "0");
        assertEquals(0, none.exitCode(), none.toString());
        assertTrue(none.rows().isEmpty(), "nothing hangs any more: " + none.stdout());
        assertEquals(List.of("before", "committed", "after"), readCommitted(6));

        broker.restart(); // the admin's marker and its aborted index entry are durable
        assertEquals(6, readCommittedEnd());
        assertEquals(List.of("before", "committed", "after"), readCommitted(6));
        assertTrue(tool("find-hanging", "--topic", TOPIC, "--max-transaction-timeout", "0").rows().isEmpty());
    }

    @Test
    void abortingALiveTransactionLeavesItsCoordinatorAbleToComplete() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "live-txn"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "aborted-by-admin")).get(30, TimeUnit.SECONDS); // 0
            KafkaToolRun abort = tool("abort", "--topic", TOPIC, "--partition", "0", "--start-offset", "0");   // 1
            assertEquals(0, abort.exitCode(), abort.toString());
            // the coordinator still thinks the transaction open: its COMMIT marker must be taken (Kafka
            // appends it; the partition has no transaction left to end) or it would retry forever
            producer.commitTransaction();                                                                // 2
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "next")).get(30, TimeUnit.SECONDS);           // 3
            producer.commitTransaction();                                                                // 4
        }
        Await.until("the last stable offset passes the next transaction", Duration.ofSeconds(30),
                () -> readCommittedEnd() == 5);
        assertEquals(List.of("next"), readCommitted(5));
    }

    private KafkaToolRun tool(String... args) throws Exception {
        return KafkaToolRun.run(TransactionsCommand.class, broker.bootstrap(), args);
    }

    private long readCommittedEnd() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            return consumer.endOffsets(List.of(TP), Clients.CALL_TIMEOUT).get(TP);
        }
    }

    private List<String> readCommitted(long end) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            return Clients.pollUntil(consumer, TP, end).stream().map(ConsumerRecord::value).toList();
        }
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction version 1 (KIP-890 part 1) over raw requests, as a client that predates
 * {@code transaction.version} drives it while the broker advertises version 2: AddPartitionsToTxn
 * v3, Produce v10/v11, EndTxn v4. The leader verifies a transactional batch that begins a
 * transaction with the coordinator: a partition the producer did not add is refused
 * (INVALID_TXN_STATE up to Produce v10, TRANSACTION_ABORTABLE at v11) and nothing is written; an
 * added one is written, and the commit keeps the epoch and makes it readable under read_committed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionVersionOneIT {
    private static final String TOPIC = "tv1";
    private static final String TRANSACTIONAL_ID = "tv1-producer";
    private static final byte READ_COMMITTED = 1;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static RawKafkaConnection raw;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir);
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 2, Map.of());
        }
        raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
    }

    @AfterAll
    static void stop() {
        Clients.closeAll(raw, broker);
    }

    @Test
    void onlyPartitionsAddedToTheTransactionAreWrittenAndTheCommitKeepsTheEpoch() {
        retrying(() -> (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData().setKeyType((byte) 1)
                .setCoordinatorKeys(List.of(TRANSACTIONAL_ID))).data(),
                r -> Errors.forCode(r.coordinators().get(0).errorCode()));
        InitProducerIdResponseData producer = retrying(() -> (InitProducerIdResponseData) raw.send(
                new InitProducerIdRequestData().setTransactionalId(TRANSACTIONAL_ID).setTransactionTimeoutMs(60_000)
                        .setProducerId(-1).setProducerEpoch((short) -1), (short) 4).data(),
                r -> Errors.forCode(r.errorCode()));

        assertEquals(Errors.INVALID_TXN_STATE, Errors.forCode(produce(producer, 1, 0, (short) 10).errorCode()),
                "not added, Produce v10");
        assertEquals(Errors.TRANSACTION_ABORTABLE, Errors.forCode(produce(producer, 1, 0, (short) 11).errorCode()),
                "not added, Produce v11");

        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(TOPIC).setPartitions(List.of(0)));
        AddPartitionsToTxnResponseData added = (AddPartitionsToTxnResponseData) raw.send(
                new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(TRANSACTIONAL_ID)
                        .setV3AndBelowProducerId(producer.producerId())
                        .setV3AndBelowProducerEpoch(producer.producerEpoch()).setV3AndBelowTopics(topics), (short) 3)
                .data();
        assertEquals(Errors.NONE.code(), added.resultsByTopicV3AndBelow().find(TOPIC).resultsByPartition().find(0)
                .partitionErrorCode());
        PartitionProduceResponse written = produce(producer, 0, 0, (short) 11);
        assertEquals(Errors.NONE, Errors.forCode(written.errorCode()), String.valueOf(written.errorMessage()));
        assertEquals(Errors.NONE, Errors.forCode(produce(producer, 0, 1, (short) 11).errorCode()),
                "the transaction is open here: no check");

        EndTxnResponseData ended = retrying(() -> (EndTxnResponseData) raw.send(new EndTxnRequestData()
                .setTransactionalId(TRANSACTIONAL_ID).setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setCommitted(true), (short) 4).data(),
                r -> Errors.forCode(r.errorCode()));
        assertEquals(Errors.NONE, Errors.forCode(ended.errorCode()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latestOffset(0, READ_COMMITTED) != 3) { // two records and the COMMIT marker
            assertTrue(System.nanoTime() < deadline, "the commit marker makes the records stable");
            sleep();
        }
        assertEquals(0, latestOffset(1, (byte) 0), "nothing was written to the partition not added");
    }

    private static PartitionProduceResponse produce(InitProducerIdResponseData producer, int partition,
                                                    int baseSequence, short version) {
        ByteBuffer batch = KafkaRecords.batchBuilder()
                .producer(producer.producerId(), producer.producerEpoch(), baseSequence).transactional(true)
                .add(System.currentTimeMillis(), "k", "v" + baseSequence).build();
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(TOPIC).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition)
                        .setRecords(KafkaRecords.wrap(batch)))));
        ProduceResponseData response = (ProduceResponseData) raw.send(new ProduceRequestData()
                .setTransactionalId(TRANSACTIONAL_ID).setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics),
                version).data();
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    private static long latestOffset(int partition, byte isolationLevel) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel(isolationLevel);
        request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition).setTimestamp(-1))));
        ListOffsetsResponseData response = (ListOffsetsResponseData) raw.send(request).data();
        ListOffsetsResponseData.ListOffsetsPartitionResponse answer = response.topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE, Errors.forCode(answer.errorCode()));
        return answer.offset();
    }

    /** Sends until the answer is NONE, again while the coordinator is not ready or busy completing. */
    private static <T> T retrying(Supplier<T> request, Function<T, Errors> error) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            T response = request.get();
            Errors e = error.apply(response);
            if (e == Errors.NONE) {
                return response;
            }
            assertTrue(Set.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_COORDINATOR,
                    Errors.COORDINATOR_NOT_AVAILABLE, Errors.CONCURRENT_TRANSACTIONS).contains(e), e.name());
            assertTrue(System.nanoTime() < deadline, "answered in time, last " + e);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

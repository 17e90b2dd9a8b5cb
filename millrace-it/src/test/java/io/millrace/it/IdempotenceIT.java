package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.ProtocolRequests.TopicRef;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotent producer at the protocol level (compatibility item 1): InitProducerId, a
 * retried batch appended once and answered with its first offset, a sequence gap rejected, and
 * producer state that survives a restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdempotenceIT {
    @TempDir
    Path dataDir;
    InProcessBroker broker;

    @BeforeEach
    void startBroker() {
        broker = InProcessBroker.start(dataDir);
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRetriedBatchIsAppendedOnceAndASequenceGapIsRejected() {
        TopicRef topic = createTopic("idempotent");
        try (RawKafkaConnection raw = connect()) {
            InitProducerIdResponseData producer = initProducerId(raw);
            ByteBuffer first = batch(producer, 0, 3);

            PartitionProduceResponse sent = ProtocolRequests.produce(raw, topic, 0, first);
            PartitionProduceResponse retried = ProtocolRequests.produce(raw, topic, 0, first);
            assertEquals(Errors.NONE, Errors.forCode(sent.errorCode()), String.valueOf(sent.errorMessage()));
            assertEquals(Errors.NONE, Errors.forCode(retried.errorCode()), String.valueOf(retried.errorMessage()));
            assertEquals(0, sent.baseOffset());
            assertEquals(sent.baseOffset(), retried.baseOffset(), "a duplicate is answered with its first offset");

            PartitionProduceResponse gap = ProtocolRequests.produce(raw, topic, 0, batch(producer, 5, 1));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, Errors.forCode(gap.errorCode()));

            PartitionProduceResponse next = ProtocolRequests.produce(raw, topic, 0, batch(producer, 3, 2));
            assertEquals(Errors.NONE, Errors.forCode(next.errorCode()), String.valueOf(next.errorMessage()));
            assertEquals(3, next.baseOffset(), "the rejected batch took no offsets");
        }
        assertLogHolds(topic.name(), List.of("r0", "r1", "r2", "r3", "r4"));
    }

    @Test
    void producerStateSurvivesARestart() {
        TopicRef topic = createTopic("idempotent-restart");
        InitProducerIdResponseData producer;
        ByteBuffer first;
        try (RawKafkaConnection raw = connect()) {
            producer = initProducerId(raw);
            first = batch(producer, 0, 3);
            PartitionProduceResponse sent = ProtocolRequests.produce(raw, topic, 0, first);
            assertEquals(Errors.NONE, Errors.forCode(sent.errorCode()), String.valueOf(sent.errorMessage()));
            assertEquals(0, sent.baseOffset());
        }

        broker.restart();

        try (RawKafkaConnection raw = connect()) {
            PartitionProduceResponse retried = ProtocolRequests.produce(raw, topic, 0, first);
            assertEquals(Errors.NONE, Errors.forCode(retried.errorCode()), String.valueOf(retried.errorMessage()));
            assertEquals(0, retried.baseOffset(), "the duplicate is recognised after the restart");

            PartitionProduceResponse gap = ProtocolRequests.produce(raw, topic, 0, batch(producer, 7, 1));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, Errors.forCode(gap.errorCode()));

            PartitionProduceResponse next = ProtocolRequests.produce(raw, topic, 0, batch(producer, 3, 2));
            assertEquals(Errors.NONE, Errors.forCode(next.errorCode()), String.valueOf(next.errorMessage()));
            assertEquals(3, next.baseOffset());

            InitProducerIdResponseData another = initProducerId(raw);
            assertTrue(another.producerId() != producer.producerId(),
                    "producer ids are not handed out twice across a restart");
        }
        assertLogHolds(topic.name(), List.of("r0", "r1", "r2", "r3", "r4"));
    }

    private RawKafkaConnection connect() {
        return RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
    }

    private TopicRef createTopic(String name) {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, name, 1, Map.of());
            return new TopicRef(name, Clients.get(admin.describeTopics(List.of(name)).allTopicNames())
                    .get(name).topicId());
        }
    }

    private static InitProducerIdResponseData initProducerId(RawKafkaConnection raw) {
        InitProducerIdResponseData response = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                .setTransactionalId(null)
                .setTransactionTimeoutMs(60_000)).data();
        assertEquals(Errors.NONE, Errors.forCode(response.errorCode()));
        assertTrue(response.producerId() >= 0, "a producer id: " + response);
        assertTrue(response.producerEpoch() >= 0, "a producer epoch: " + response);
        return response;
    }

    /** Records named r{sequence}..: their values say which sequence number wrote them. */
    private static ByteBuffer batch(InitProducerIdResponseData producer, int baseSequence, int records) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder()
                .producer(producer.producerId(), producer.producerEpoch(), baseSequence);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            builder.add(now, "k", "r" + (baseSequence + i));
        }
        return builder.build();
    }

    private void assertLogHolds(String topic, List<String> values) {
        List<ConsumerRecord<String, String>> read = Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0);
        assertEquals(values, read.stream().map(ConsumerRecord::value).toList());
    }
}

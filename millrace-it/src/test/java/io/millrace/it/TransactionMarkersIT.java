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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage and fetch side of transactions over raw requests on one broker: transactional
 * batches from producer ids InitProducerId handed out, COMMIT and ABORT markers written with
 * WriteTxnMarkers (as a transaction coordinator would), then real consumers: read_committed sees
 * the committed records only and stops at the open transaction (the LSO), read_uncommitted sees
 * everything; ListOffsets latest answers the LSO for read_committed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionMarkersIT {
    private static final String TOPIC = "transactions";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

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
    void readCommittedSeesCommittedRecordsOnlyAndStopsAtTheOpenTransaction() {
        TopicRef topic;
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
            topic = new TopicRef(TOPIC, Clients.get(admin.describeTopics(List.of(TOPIC)).allTopicNames())
                    .get(TOPIC).topicId());
        }
        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            assertTrue(raw.version(ApiKeys.WRITE_TXN_MARKERS) >= 1, "WriteTxnMarkers is advertised");
            InitProducerIdResponseData committing = initProducerId(raw);
            InitProducerIdResponseData aborting = initProducerId(raw);
            InitProducerIdResponseData open = initProducerId(raw);

            produce(raw, topic, transactional(committing, 0, "c0", "c1"));       // 0-1
            produce(raw, topic, transactional(aborting, 0, "a0", "a1"));         // 2-3
            produce(raw, topic, transactional(committing, 2, "c2"));             // 4
            assertEquals(List.of(Errors.NONE), writeMarker(raw, committing, true, TOPIC));   // 5
            assertEquals(List.of(Errors.NONE), writeMarker(raw, aborting, false, TOPIC));    // 6
            produce(raw, topic, transactional(open, 0, "o0"));                   // 7, stays open
            assertEquals(List.of(Errors.UNKNOWN_TOPIC_OR_PARTITION), writeMarker(raw, open, true, "no-such-topic"));

            assertEquals(7, latestOffset(raw, (byte) 1), "read_committed: the LSO, at the open transaction");
            assertEquals(8, latestOffset(raw, (byte) 0), "read_uncommitted: the high watermark");
        }

        assertEquals(List.of("c0", "c1", "c2"), read("read_committed", 7));
        assertEquals(List.of("c0", "c1", "a0", "a1", "c2", "o0"), read("read_uncommitted", 8));
    }

    private List<String> read(String isolation, long end) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrap(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            return Clients.pollUntil(consumer, TP, end).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static InitProducerIdResponseData initProducerId(RawKafkaConnection raw) {
        InitProducerIdResponseData response = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(60_000)).data();
        assertEquals(Errors.NONE, Errors.forCode(response.errorCode()));
        return response;
    }

    private static ByteBuffer transactional(InitProducerIdResponseData producer, int baseSequence, String... values) {
        KafkaRecords.BatchBuilder builder = KafkaRecords.batchBuilder()
                .producer(producer.producerId(), producer.producerEpoch(), baseSequence).transactional(true);
        for (String value : values) {
            builder.add(System.currentTimeMillis(), "k", value);
        }
        return builder.build();
    }

    private static void produce(RawKafkaConnection raw, TopicRef topic, ByteBuffer batch) {
        PartitionProduceResponse response = ProtocolRequests.produce(raw, topic, 0, batch);
        assertEquals(Errors.NONE, Errors.forCode(response.errorCode()), String.valueOf(response.errorMessage()));
    }

    private static List<Errors> writeMarker(RawKafkaConnection raw, InitProducerIdResponseData producer,
                                            boolean commit, String topic) {
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        WritableTxnMarker marker = new WritableTxnMarker().setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setTransactionResult(commit).setCoordinatorEpoch(0);
        marker.topics().add(new WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(List.of(0)));
        request.markers().add(marker);
        WriteTxnMarkersResponseData response = (WriteTxnMarkersResponseData) raw.send(request).data();
        return response.markers().get(0).topics().get(0).partitions().stream()
                .map(p -> Errors.forCode(p.errorCode())).toList();
    }

    private static long latestOffset(RawKafkaConnection raw, byte isolationLevel) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel(isolationLevel);
        request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))));
        ListOffsetsResponseData response = (ListOffsetsResponseData) raw.send(request).data();
        ListOffsetsResponseData.ListOffsetsPartitionResponse partition = response.topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE, Errors.forCode(partition.errorCode()));
        return partition.offset();
    }
}

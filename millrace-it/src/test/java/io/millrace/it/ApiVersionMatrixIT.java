package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.millrace.it.ProtocolRequests.TopicRef;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version the broker advertises for the APIs clients use on the data path answers a plain
 * request with NONE and a well-formed response (compatibility item 8). Older clients — librdkafka
 * and kcat, older kafka-clients — speak the older versions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiVersionMatrixIT {
    private static final String TOPIC = "matrix";

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static RawKafkaConnection raw;
    static TopicRef topic;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir);
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
            topic = new TopicRef(TOPIC, Clients.get(admin.describeTopics(List.of(TOPIC)).allTopicNames())
                    .get(TOPIC).topicId());
        }
        raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
    }

    @AfterAll
    static void stopBroker() {
        if (raw != null) {
            raw.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> apiVersionsAtEveryVersion() {
        return everyVersion(ApiKeys.API_VERSIONS, version -> () -> {
            ApiVersionsRequestData request = new ApiVersionsRequestData();
            if (version >= 3) {
                request.setClientSoftwareName("matrix").setClientSoftwareVersion("1");
            }
            ApiVersionsResponseData response = (ApiVersionsResponseData) raw.send(request, version).data();
            assertEquals(Errors.NONE, Errors.forCode(response.errorCode()));
            assertTrue(response.apiKeys().find(ApiKeys.PRODUCE.id) != null);
        });
    }

    @TestFactory
    Stream<DynamicTest> metadataAtEveryVersion() {
        return everyVersion(ApiKeys.METADATA, version -> () -> {
            MetadataRequestData request = new MetadataRequestData().setTopics(List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName(TOPIC)));
            MetadataResponseData response = (MetadataResponseData) raw.send(request, version).data();
            assertEquals(1, response.brokers().size());
            MetadataResponseData.MetadataResponseTopic answered = response.topics().find(TOPIC);
            assertEquals(Errors.NONE, Errors.forCode(answered.errorCode()));
            assertEquals(1, answered.partitions().size());
            assertEquals(InProcessBroker.NODE_ID, answered.partitions().get(0).leaderId());
        });
    }

    /** Each version appends one batch; the following Fetch and ListOffsets versions read them. */
    @TestFactory
    Stream<DynamicTest> produceThenFetchThenListOffsetsAtEveryVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.addAll(everyVersion(ApiKeys.PRODUCE, version -> () -> {
            ProduceResponseData.PartitionProduceResponse answer = ProtocolRequests.produce(raw, version, topic, 0,
                    KafkaRecords.batchBuilder().add(System.currentTimeMillis(), "k", "produced at v" + version)
                            .build());
            assertEquals(Errors.NONE, Errors.forCode(answer.errorCode()), String.valueOf(answer.errorMessage()));
            assertTrue(answer.baseOffset() >= 0);
        }).toList());
        tests.addAll(everyVersion(ApiKeys.FETCH, version -> () -> {
            FetchResponseData.PartitionData answer = ProtocolRequests.fetch(raw, version, topic, 0, 0, 1_048_576);
            assertEquals(Errors.NONE, Errors.forCode(answer.errorCode()));
            assertTrue(answer.highWatermark() > 0);
            assertTrue(ProtocolRequests.records(answer).sizeInBytes() > 0, "records at offset 0");
        }).toList());
        tests.addAll(everyVersion(ApiKeys.LIST_OFFSETS, version -> () -> {
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                            new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                    .setTimestamp(-1L)))));
            ListOffsetsResponseData response = (ListOffsetsResponseData) raw.send(request, version).data();
            ListOffsetsResponseData.ListOffsetsPartitionResponse answer =
                    response.topics().get(0).partitions().get(0);
            assertEquals(Errors.NONE, Errors.forCode(answer.errorCode()), "latest offset at ListOffsets v" + version);
            assertTrue(answer.offset() > 0);
        }).toList());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> initProducerIdAtEveryVersion() {
        return everyVersion(ApiKeys.INIT_PRODUCER_ID, version -> () -> {
            InitProducerIdResponseData response = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                    .setTransactionalId(null).setTransactionTimeoutMs(60_000), version).data();
            assertEquals(Errors.NONE, Errors.forCode(response.errorCode()));
            assertTrue(response.producerId() >= 0);
        });
    }

    private static Stream<DynamicTest> everyVersion(ApiKeys key, VersionedCheck check) {
        short oldest = raw.oldestVersion(key);
        short newest = raw.version(key);
        List<DynamicTest> tests = new ArrayList<>();
        for (short v = oldest; v <= newest; v++) {
            short version = v;
            tests.add(dynamicTest(key.name + " v" + version, check.at(version)));
        }
        return tests.stream();
    }

    /** The check to run at one version. */
    @FunctionalInterface
    private interface VersionedCheck {
        Executable at(short version);
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.it.ProtocolRequests.TopicRef;
import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input closes only the connection it came on (or is answered with an error), and the
 * broker keeps serving everyone else: after each case a separate producer and consumer write and
 * read a record, and a connection opened before the bad input still answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputIT {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String HEALTH_TOPIC = "health";

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static Admin admin;
    static KafkaProducer<String, String> healthyProducer;
    static RawKafkaConnection bystander;
    static int healthChecks;

    @BeforeAll
    static void startBroker() {
        broker = InProcessBroker.start(dataDir);
        admin = Clients.admin(broker.bootstrap());
        Clients.createTopic(admin, HEALTH_TOPIC, 1, Map.of());
        healthyProducer = Clients.producer(broker.bootstrap());
        bystander = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port());
    }

    @AfterAll
    static void stopBroker() {
        if (bystander != null) {
            bystander.close();
        }
        if (healthyProducer != null) {
            healthyProducer.close(Duration.ofSeconds(5));
        }
        Clients.closeAll(admin, broker);
    }

    /** After every case: the broker still serves other clients and other connections. */
    @AfterEach
    void brokerStillServesEveryoneElse() throws Exception {
        String value = "alive-" + healthChecks++;
        long offset = healthyProducer.send(new ProducerRecord<>(HEALTH_TOPIC, 0, "k", value))
                .get(30, TimeUnit.SECONDS).offset();
        List<ConsumerRecord<String, String>> read =
                Clients.readAll(broker.bootstrap(), new TopicPartition(HEALTH_TOPIC, 0), offset);
        assertEquals(value, read.get(0).value());
        ApiVersionsResponseData versions = (ApiVersionsResponseData) bystander.send(new ApiVersionsRequestData()
                .setClientSoftwareName("bystander").setClientSoftwareVersion("1"), (short) 3).data();
        assertEquals(Errors.NONE.code(), versions.errorCode(), "a connection opened earlier still answers");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aFrameOfRandomBytesClosesTheConnection(long seed) {
        byte[] body = new byte[512];
        new Random(seed).nextBytes(body);
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            raw.sendFrame(ByteBuffer.wrap(body));
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT), "random bytes close the connection");
        }
    }

    @Test
    void unframedRandomBytesWithAnImpossibleSizeCloseTheConnection() {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        bytes[0] |= (byte) 0x80; // a negative size prefix: never a Kafka frame
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            raw.sendRaw(bytes);
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT));
        }
    }

    @Test
    void anHttpRequestClosesTheConnection() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            raw.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT), "'GET ' read as a size is far above the limit");
        }
    }

    @Test
    void aNegativeSizeClosesTheConnection() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            raw.sendRaw(ByteBuffer.allocate(8).putInt(-5).putInt(0).array());
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT));
        }
    }

    @Test
    void aSizeAboveSocketRequestMaxBytesClosesTheConnectionWithoutWaitingForTheBody() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            raw.sendRaw(ByteBuffer.allocate(16).putInt(200 * 1024 * 1024).putShort((short) 18).array());
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT), "a 200 MiB frame is refused at its size");
        }
    }

    /** Compatibility item 14: a v0 answer with our ranges, and the connection stays open. */
    @Test
    void anUnknownApiVersionsVersionIsAnsweredWithUnsupportedVersionAndTheRanges() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            int correlationId = 4242;
            ByteBuffer request = ByteBuffer.allocate(64);
            request.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(correlationId);
            byte[] clientId = "future-client".getBytes(StandardCharsets.UTF_8);
            request.putShort((short) clientId.length).put(clientId);
            request.put((byte) 0); // header tagged fields (request header v2)
            request.put((byte) 1).put((byte) 1).put((byte) 0); // empty compact strings, no tagged fields
            raw.sendFrame(request.flip());

            ByteBuffer response = raw.readFrame();
            assertEquals(correlationId, response.getInt(), "response header v0: the correlation id");
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            data.read(new ByteBufferAccessor(response), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION, Errors.forCode(data.errorCode()));
            ApiVersionsResponseData.ApiVersion apiVersions = data.apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertTrue(apiVersions != null && apiVersions.minVersion() == 0 && apiVersions.maxVersion() >= 3,
                    "the answer carries the ApiVersions range: " + data.apiKeys());
            assertTrue(data.apiKeys().find(ApiKeys.PRODUCE.id) != null, "and the other ranges");

            ApiVersionsResponseData retry = (ApiVersionsResponseData) raw.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("future-client").setClientSoftwareVersion("2"), (short) 3).data();
            assertEquals(Errors.NONE.code(), retry.errorCode(), "the connection stays open for the downgrade");
        }
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() {
        try (RawKafkaConnection raw = RawKafkaConnection.connect("127.0.0.1", broker.port())) {
            ByteBuffer request = ByteBuffer.allocate(32);
            request.putShort((short) 9999).putShort((short) 0).putInt(1);
            byte[] clientId = "nobody".getBytes(StandardCharsets.UTF_8);
            request.putShort((short) clientId.length).put(clientId);
            raw.sendFrame(request.flip());
            assertTrue(raw.closedByBroker(CLOSE_TIMEOUT));
        }
    }

    /** Compatibility item 12: max.message.bytes is enforced (MESSAGE_TOO_LARGE). */
    @Test
    void aRecordAboveTheBrokerLimitFailsWithRecordTooLarge() {
        Clients.createTopic(admin, "big", 1, Map.of());
        byte[] value = new byte[1_500_000];
        new Random(11).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(broker.bootstrap(), Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 16 * 1024 * 1024))) {
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("big", 0, null, value)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, error.getCause());
        }
    }

    @Test
    void aRecordAboveTheTopicLimitFailsWithRecordTooLarge() throws Exception {
        Clients.createTopic(admin, "small-limit", 1, Map.of("max.message.bytes", "10000"));
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(broker.bootstrap(), Map.of())) {
            byte[] big = new byte[20_000];
            new Random(12).nextBytes(big);
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("small-limit", 0, null, big)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, error.getCause());
            assertEquals(0, producer.send(new ProducerRecord<>("small-limit", 0, null, new byte[100]))
                    .get(30, TimeUnit.SECONDS).offset(), "a record within the limit is still accepted");
        }
    }

    @Test
    void aBatchWithACorruptedCrcIsAnsweredWithCorruptMessage() {
        String topic = "crc";
        Clients.createTopic(admin, topic, 1, Map.of());
        TopicRef ref = new TopicRef(topic, Clients.get(admin.describeTopics(List.of(topic)).allTopicNames())
                .get(topic).topicId());
        ByteBuffer corruptPayload = validBatch();
        int last = corruptPayload.limit() - 1;
        corruptPayload.put(last, (byte) (corruptPayload.get(last) ^ 0x5A));
        ByteBuffer corruptCrc = validBatch();
        corruptCrc.putInt(RecordBatchHeader.CRC_OFFSET, corruptCrc.getInt(RecordBatchHeader.CRC_OFFSET) ^ 1);

        try (RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            PartitionProduceResponse payload = ProtocolRequests.produce(raw, ref, 0, corruptPayload);
            assertEquals(Errors.CORRUPT_MESSAGE, Errors.forCode(payload.errorCode()));
            PartitionProduceResponse crc = ProtocolRequests.produce(raw, ref, 0, corruptCrc);
            assertEquals(Errors.CORRUPT_MESSAGE, Errors.forCode(crc.errorCode()));

            PartitionProduceResponse valid = ProtocolRequests.produce(raw, ref, 0, validBatch());
            assertEquals(Errors.NONE, Errors.forCode(valid.errorCode()), "the same connection still works");
            assertEquals(0, valid.baseOffset(), "nothing of the corrupt batches was appended");
        }
        assertFalse(Clients.readAll(broker.bootstrap(), new TopicPartition(topic, 0), 0).isEmpty());
    }

    private static ByteBuffer validBatch() {
        return KafkaRecords.batchBuilder()
                .add(System.currentTimeMillis(), "k1", "first")
                .add(System.currentTimeMillis(), "k2", "second")
                .build();
    }
}

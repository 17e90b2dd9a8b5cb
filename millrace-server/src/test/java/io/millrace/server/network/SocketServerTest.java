package io.millrace.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.Endpoint;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.handlers.ApiVersionsHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket server over real sockets, with raw frames and with kafka-clients' Admin. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketServerTest {
    private static final String LISTENER = "PLAINTEXT";
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static SocketServer server;
    private static HandlerRegistry registry;
    private static int port;

    @BeforeAll
    static void startServer() {
        AtomicInteger boundPort = new AtomicInteger();
        registry = HandlerRegistry.of(testHandlers(boundPort),
                r -> new ApiVersionsHandler(r, TestHandlers.CLUSTER_ID, TestHandlers.NODE_ID));
        server = new SocketServer(List.of(new Endpoint(LISTENER, "127.0.0.1", 0)), registry, MAX_REQUEST_BYTES);
        server.start();
        port = server.boundPort(LISTENER);
        boundPort.set(port);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static List<ApiHandler<?>> testHandlers(AtomicInteger boundPort) {
        return List.of(new TestHandlers.Metadata(boundPort::get), new TestHandlers.DelayedHeartbeat(),
                new TestHandlers.ThrowingListGroups(), new TestHandlers.FailingFindCoordinator(),
                new TestHandlers.WrongTypeDescribeGroups(), new TestHandlers.Produce(),
                new TestHandlers.NeverDescribeAcls());
    }

    @Test
    void apiVersionsAnswersTheRegistryRangesAtEveryVersion() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            for (short version = 0; version <= ApiKeys.API_VERSIONS.latestVersion(); version++) {
                ApiVersionsResponseData response = client.call(apiVersionsRequest(), version);
                assertEquals(Errors.NONE.code(), response.errorCode(), "v" + version);
                assertEquals(expectedRanges(), rangesOf(response), "v" + version);
            }
        }
    }

    @Test
    void kafkaAdminClientNegotiatesVersionsAndReadsTheCluster() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(props)) {
            DescribeClusterResult cluster = admin.describeCluster();
            assertEquals(TestHandlers.CLUSTER_ID, cluster.clusterId().get(15, TimeUnit.SECONDS));
            Collection<Node> nodes = cluster.nodes().get(15, TimeUnit.SECONDS);
            assertEquals(List.of(new Node(TestHandlers.NODE_ID, "127.0.0.1", port)), List.copyOf(nodes));
        }
    }

    @Test
    void newerApiVersionsGetsAV0UnsupportedVersionAnswerAndTheConnectionStaysOpen() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            short future = 99;
            // A newer client writes a body we cannot know; the v5 layout stands in for it.
            client.sendRaw(RawKafkaClient.frame(ApiKeys.API_VERSIONS, future, 7, apiVersionsRequest(), (short) 5));
            ByteBuffer body = client.receiveFrame(ApiKeys.API_VERSIONS, (short) 0, 7);
            ApiVersionsResponseData response = new ApiVersionsResponseData(new ByteBufferAccessor(body), (short) 0);
            assertFalse(body.hasRemaining(), "the answer is exactly a v0 response");
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
            assertEquals(expectedRanges(), rangesOf(response));

            ApiVersionsResponseData retry = client.call(apiVersionsRequest(), (short) 3);
            assertEquals(Errors.NONE.code(), retry.errorCode());
        }
    }

    @Test
    void apiVersionsChecksClientSoftwareAndClusterIdentity() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            ApiVersionsResponseData badName = client.call(new ApiVersionsRequestData()
                    .setClientSoftwareName("bad name!").setClientSoftwareVersion("1.0"), (short) 3);
            assertEquals(Errors.INVALID_REQUEST.code(), badName.errorCode());
            assertTrue(badName.apiKeys().isEmpty());

            ApiVersionsResponseData nodeWithoutCluster = client.call(apiVersionsRequest().setNodeId(1), (short) 5);
            assertEquals(Errors.INVALID_REQUEST.code(), nodeWithoutCluster.errorCode());

            ApiVersionsResponseData otherCluster = client.call(apiVersionsRequest().setClusterId("elsewhere")
                    .setNodeId(TestHandlers.NODE_ID), (short) 5);
            assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), otherCluster.errorCode());

            ApiVersionsResponseData otherNode = client.call(apiVersionsRequest().setClusterId(TestHandlers.CLUSTER_ID)
                    .setNodeId(TestHandlers.NODE_ID + 1), (short) 5);
            assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), otherNode.errorCode());

            ApiVersionsResponseData us = client.call(apiVersionsRequest().setClusterId(TestHandlers.CLUSTER_ID)
                    .setNodeId(TestHandlers.NODE_ID), (short) 5);
            assertEquals(Errors.NONE.code(), us.errorCode());
            assertEquals(expectedRanges(), rangesOf(us));
        }
    }

    @Test
    void bytesThatAreNotARequestCloseOnlyThatConnection() throws Exception {
        long rejectedBefore = server.stats().rejectedConnections();
        Map<String, byte[]> garbage = new TreeMap<>();
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        garbage.put("random bytes", random);
        garbage.put("HTTP request", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        garbage.put("TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03});
        garbage.put("negative size", ByteBuffer.allocate(4).putInt(-1).array());
        garbage.put("huge size", ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        garbage.put("size just over the limit", ByteBuffer.allocate(4).putInt(MAX_REQUEST_BYTES + 1).array());
        garbage.put("frame too short for a header", ByteBuffer.allocate(6).putInt(2).putShort((short) 3).array());
        garbage.put("unknown API key", ByteBuffer.allocate(14).putInt(10).putShort((short) 999).putShort((short) 0)
                .putInt(1).putShort((short) -1).array());
        garbage.put("malformed body", truncated(RawKafkaClient.frame(ApiKeys.METADATA, (short) 12, 1,
                new MetadataRequestData().setTopics(List.of(new MetadataRequestData.MetadataRequestTopic()
                        .setName("some-topic"))), (short) 12), 8));
        garbage.put("unsupported version of a served API", RawKafkaClient.frame(ApiKeys.METADATA, (short) 99, 1,
                new MetadataRequestData(), (short) 12));
        garbage.put("API not served", RawKafkaClient.frame(ApiKeys.DELETE_TOPICS, (short) 6, 1,
                new DeleteTopicsRequestData(), (short) 6));

        try (RawKafkaClient before = RawKafkaClient.connect(port)) {
            assertEquals(Errors.NONE.code(), before.<ApiVersionsResponseData>call(apiVersionsRequest(), (short) 3).errorCode());
            for (Map.Entry<String, byte[]> bad : garbage.entrySet()) {
                try (RawKafkaClient client = RawKafkaClient.connect(port)) {
                    client.sendRaw(bad.getValue());
                    assertTrue(client.awaitClosedByPeer(CLOSE_WAIT), bad.getKey() + ": connection should be closed");
                }
            }
            assertEquals(Errors.NONE.code(), before.<ApiVersionsResponseData>call(apiVersionsRequest(), (short) 3).errorCode());
        }
        try (RawKafkaClient after = RawKafkaClient.connect(port)) {
            assertEquals(Errors.NONE.code(), after.<ApiVersionsResponseData>call(apiVersionsRequest(), (short) 3).errorCode());
        }
        long expectedRejected = rejectedBefore + garbage.size();
        awaitTrue(() -> server.stats().rejectedConnections() >= expectedRejected, "rejections counted");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        int count = 300;
        List<ApiKeys> sent = new ArrayList<>();
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int correlationId = 1000 + i;
            switch (i % 3) {
                case 0 -> {
                    frames.writeBytes(RawKafkaClient.frame(ApiKeys.HEARTBEAT, (short) 4, correlationId,
                            new HeartbeatRequestData().setGroupId("g").setMemberId("m"), (short) 4));
                    sent.add(ApiKeys.HEARTBEAT);
                }
                case 1 -> {
                    frames.writeBytes(RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 3, correlationId,
                            apiVersionsRequest(), (short) 3));
                    sent.add(ApiKeys.API_VERSIONS);
                }
                default -> {
                    frames.writeBytes(RawKafkaClient.frame(ApiKeys.METADATA, (short) 12, correlationId,
                            new MetadataRequestData(), (short) 12));
                    sent.add(ApiKeys.METADATA);
                }
            }
        }
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            client.sendRaw(frames.toByteArray());
            for (int i = 0; i < count; i++) {
                ApiKeys apiKey = sent.get(i);
                short version = apiKey == ApiKeys.HEARTBEAT ? 4 : apiKey == ApiKeys.API_VERSIONS ? (short) 3 : 12;
                ApiMessage response = client.receive(apiKey, version, 1000 + i);
                assertEquals(apiKey.id, response.apiKey());
            }
        }
    }

    @Test
    void aFailingHandlerIsAnsweredWithTheApiErrorResponse() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            ListGroupsResponseData thrown = client.call(new ListGroupsRequestData(), (short) 4);
            assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), thrown.errorCode());

            FindCoordinatorResponseData failed = client.call(new FindCoordinatorRequestData().setKey("g"), (short) 3);
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), failed.errorCode());

            DescribeGroupsResponseData wrongType = client.call(new DescribeGroupsRequestData().setGroups(List.of("g")),
                    (short) 5);
            assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), wrongType.groups().get(0).errorCode());

            assertEquals(Errors.NONE.code(), client.<ApiVersionsResponseData>call(apiVersionsRequest(), (short) 3).errorCode());
        }
    }

    @Test
    void acksZeroProduceGetsNoResponse() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            client.send(new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000), (short) 9);
            int apiVersions = client.send(apiVersionsRequest(), (short) 3);
            ApiVersionsResponseData response = client.receive(ApiKeys.API_VERSIONS, (short) 3, apiVersions);
            assertEquals(Errors.NONE.code(), response.errorCode());

            ProduceResponseData acked = client.call(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000), (short) 9);
            assertNotNull(acked);
        }
    }

    @Test
    void largeRequestsAndResponsesRoundTrip() throws IOException {
        try (RawKafkaClient client = RawKafkaClient.connect(port)) {
            // ~0.6 MB (grows the connection's buffer), ~3 MB (gets a buffer of its own), then small again
            for (int topics : new int[] {20_000, 100_000, 3}) {
                List<MetadataRequestData.MetadataRequestTopic> names = new ArrayList<>(topics);
                for (int i = 0; i < topics; i++) {
                    names.add(new MetadataRequestData.MetadataRequestTopic().setName(String.format("topic-%06d", i)));
                }
                MetadataResponseData response = client.call(new MetadataRequestData().setTopics(names), (short) 12);
                assertEquals(topics, response.topics().size());
                assertEquals(String.format("topic-%06d", topics - 1),
                        response.topics().find(String.format("topic-%06d", topics - 1)).name());
            }
        }
    }

    @Test
    void closeEndsConnectionsEvenWithARequestInAHandler() throws Exception {
        HandlerRegistry own = HandlerRegistry.of(List.of(new TestHandlers.NeverDescribeAcls()), ApiVersionsHandler::new);
        SocketServer closing = new SocketServer(List.of(new Endpoint("INTERNAL", "127.0.0.1", 0)), own, MAX_REQUEST_BYTES,
                64 * 1024, 64 * 1024);
        closing.start();
        int closingPort = closing.boundPort("INTERNAL");
        assertTrue(threadAlive("acceptor-INTERNAL"));
        try (RawKafkaClient idle = RawKafkaClient.connect(closingPort);
             RawKafkaClient parked = RawKafkaClient.connect(closingPort)) {
            assertEquals(Errors.NONE.code(), idle.<ApiVersionsResponseData>call(apiVersionsRequest(), (short) 3).errorCode());
            parked.send(new DescribeAclsRequestData().setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                    .setOperation((byte) 1).setPermissionType((byte) 1), (short) 3);
            awaitTrue(() -> closing.stats().openConnections() == 2, "both connections open");

            long begin = System.nanoTime();
            closing.close();
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(5), "close() returns promptly");
            assertTrue(idle.awaitClosedByPeer(CLOSE_WAIT));
            assertTrue(parked.awaitClosedByPeer(CLOSE_WAIT));
        }
        assertEquals(new SocketServerStats(0, 2, 0), closing.stats());
        assertFalse(threadAlive("acceptor-INTERNAL"));
        assertThrows(ConnectException.class, () -> RawKafkaClient.connect(closingPort).close());
        closing.close();
    }

    private static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData().setClientSoftwareName("raw-client").setClientSoftwareVersion("1.0");
    }

    private static Map<Short, String> expectedRanges() {
        Map<Short, String> ranges = new TreeMap<>();
        for (ApiVersionRange range : registry.servedVersions()) {
            ranges.put(range.apiKey().id, range.minVersion() + ".." + range.maxVersion());
        }
        assertEquals(8, ranges.size());
        return ranges;
    }

    private static Map<Short, String> rangesOf(ApiVersionsResponseData response) {
        Map<Short, String> ranges = new TreeMap<>();
        for (ApiVersionsResponseData.ApiVersion version : response.apiKeys()) {
            ranges.put(version.apiKey(), version.minVersion() + ".." + version.maxVersion());
        }
        return ranges;
    }

    /** The frame with its last {@code bytes} bytes removed and its size prefix adjusted. */
    private static byte[] truncated(byte[] frame, int bytes) {
        ByteBuffer shorter = ByteBuffer.wrap(java.util.Arrays.copyOf(frame, frame.length - bytes));
        shorter.putInt(0, shorter.capacity() - 4);
        return shorter.array();
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}

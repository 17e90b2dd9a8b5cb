package io.millrace.server.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.Endpoint;
import io.millrace.coordinator.txn.TransactionMarkers;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.handlers.ApiVersionsHandler;
import io.millrace.server.network.HandlerRegistry;
import io.millrace.server.network.SocketServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The marker sender against a real socket server whose WriteTxnMarkers handler is a double: it
 * answers NOT_LEADER_OR_FOLLOWER for a partition's first marker, then writes it.
 */
@Timeout(30)
class WriteTxnMarkersSenderTest {
    private static final String LISTENER = "INTERNAL";

    /** Remembers each request; the first attempt at each partition fails. */
    static final class FlakyMarkerWriter implements ApiHandler<WriteTxnMarkersRequestData> {
        final List<WriteTxnMarkersRequestData> requests = new CopyOnWriteArrayList<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.WRITE_TXN_MARKERS;
        }

        @Override
        public CompletableFuture<WriteTxnMarkersResponseData> handle(RequestContext context,
                                                                     WriteTxnMarkersRequestData request) {
            requests.add(request.duplicate());
            WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
            request.markers().forEach(marker -> {
                WritableTxnMarkerResult result = new WritableTxnMarkerResult().setProducerId(marker.producerId());
                marker.topics().forEach(topic -> {
                    WritableTxnMarkerTopicResult out = new WritableTxnMarkerTopicResult().setName(topic.name());
                    topic.partitionIndexes().forEach(p -> out.partitions().add(new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(p).setErrorCode(seen.add(topic.name() + "-" + p)
                                    ? Errors.NOT_LEADER_OR_FOLLOWER.code() : Errors.NONE.code())));
                    result.topics().add(out);
                });
                response.markers().add(result);
            });
            return CompletableFuture.completedFuture(response);
        }
    }

    private final FlakyMarkerWriter writer = new FlakyMarkerWriter();
    private final SocketServer server = new SocketServer(List.of(new Endpoint(LISTENER, "127.0.0.1", 0)),
            HandlerRegistry.of(List.of(writer), r -> new ApiVersionsHandler(r, "c", 1)), 1 << 20);
    private WriteTxnMarkersSender sender;

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
        server.close();
    }

    private MetadataImage image(int port) {
        Map<Uuid, TopicImage> topics = new HashMap<>();
        Map<String, Uuid> ids = new HashMap<>();
        topic(topics, ids, "orders", 2, 0);
        topic(topics, ids, CoordinatorTopicSpec.TRANSACTION_STATE, 1, 7);
        Map<Integer, BrokerImage> brokers = Map.of(1, new BrokerImage(1, 11, Uuid.randomUuid(),
                List.of(new BrokerEndpoint(LISTENER, "127.0.0.1", port, "PLAINTEXT")), null, false, false));
        return new MetadataImage(topics, ids, Map.of(), Map.of(), brokers, 0L, 10L);
    }

    private static void topic(Map<Uuid, TopicImage> topics, Map<String, Uuid> ids, String name, int partitions,
                              int leaderEpoch) {
        Uuid id = Uuid.randomUuid();
        TreeMap<Integer, PartitionRecord> byIndex = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            byIndex.put(p, new PartitionRecord(id, p, List.of(1), List.of(1), 1, leaderEpoch, 1));
        }
        topics.put(id, new TopicImage(name, id, byIndex, Map.of()));
        ids.put(name, id);
    }

    @Test
    void writesEveryMarkerRetryingRefusalsAndDroppingDeletedTopics() throws Exception {
        server.start();
        MetadataImage image = image(server.boundPort(LISTENER));
        sender = new WriteTxnMarkersSender(() -> image, LISTENER, partition -> true);
        TransactionMarkers markers = new TransactionMarkers(0, "tx", 42, (short) 3, true,
                Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("gone", 0)));
        sender.send(markers).get(20, TimeUnit.SECONDS);
        assertTrue(writer.requests.size() >= 2, "the refused partitions are sent again");
        WriteTxnMarkersRequestData.WritableTxnMarker first = writer.requests.get(0).markers().get(0);
        assertEquals(42, first.producerId());
        assertEquals(3, first.producerEpoch());
        assertTrue(first.transactionResult());
        assertEquals(7, first.coordinatorEpoch());
        assertEquals(List.of("orders"), first.topics().stream().map(WriteTxnMarkersRequestData.WritableTxnMarkerTopic::name).toList());
    }

    @Test
    void givesUpOnceThisNodeNoLongerCoordinates() {
        server.start();
        MetadataImage image = image(server.boundPort(LISTENER));
        AtomicInteger calls = new AtomicInteger();
        sender = new WriteTxnMarkersSender(() -> image, LISTENER, partition -> calls.incrementAndGet() < 2);
        TransactionMarkers markers = new TransactionMarkers(0, "tx", 42, (short) 3, false,
                Set.of(new TopicPartition("orders", 0)));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sender.send(markers).get(20, TimeUnit.SECONDS));
        assertInstanceOf(NotCoordinatorException.class, e.getCause());
    }
}

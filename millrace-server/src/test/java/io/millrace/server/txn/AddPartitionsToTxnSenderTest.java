package io.millrace.server.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.Endpoint;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.handlers.ApiVersionsHandler;
import io.millrace.server.network.HandlerRegistry;
import io.millrace.server.network.SocketServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The verification sender against a real socket server whose AddPartitionsToTxn handler is a
 * double: it holds its first answer until the test lets it go, and answers TRANSACTION_ABORTABLE
 * for partition 1 of any transaction, NONE otherwise.
 */
@Timeout(30)
class AddPartitionsToTxnSenderTest {
    private static final String LISTENER = "INTERNAL";
    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);

    static final class HeldCoordinator implements ApiHandler<AddPartitionsToTxnRequestData> {
        final List<AddPartitionsToTxnRequestData> requests = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> release = new CompletableFuture<>();

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.ADD_PARTITIONS_TO_TXN;
        }

        @Override
        public CompletableFuture<AddPartitionsToTxnResponseData> handle(RequestContext context,
                                                                        AddPartitionsToTxnRequestData request) {
            requests.add(request.duplicate());
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
            for (AddPartitionsToTxnTransaction txn : request.transactions()) {
                AddPartitionsToTxnResult result = new AddPartitionsToTxnResult()
                        .setTransactionalId(txn.transactionalId());
                txn.topics().forEach(topic -> {
                    AddPartitionsToTxnTopicResult out = new AddPartitionsToTxnTopicResult().setName(topic.name());
                    topic.partitions().forEach(p -> out.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(p).setPartitionErrorCode(p == 1
                                    ? Errors.TRANSACTION_ABORTABLE.code() : Errors.NONE.code())));
                    result.topicResults().add(out);
                });
                response.resultsByTransaction().add(result);
            }
            return requests.size() == 1 ? release.thenApply(ignored -> response)
                    : CompletableFuture.completedFuture(response);
        }
    }

    private final HeldCoordinator coordinator = new HeldCoordinator();
    private final SocketServer server = new SocketServer(List.of(new Endpoint(LISTENER, "127.0.0.1", 0)),
            HandlerRegistry.of(List.of(coordinator), r -> new ApiVersionsHandler(r, "c", 1)), 1 << 20);
    private AddPartitionsToTxnSender sender;

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
        server.close();
    }

    private static MetadataImage image(int port) {
        Map<Integer, BrokerImage> brokers = Map.of(2, new BrokerImage(2, 11, Uuid.randomUuid(),
                List.of(new BrokerEndpoint(LISTENER, "127.0.0.1", port, "PLAINTEXT")), null, false, false));
        return new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), brokers, 0L, 10L);
    }

    @Test
    void checksQueuedWhileARequestIsInFlightGoTogetherInTheNextOne() throws Exception {
        server.start();
        MetadataImage image = image(server.boundPort(LISTENER));
        sender = new AddPartitionsToTxnSender(() -> image, LISTENER);
        CompletableFuture<Map<TopicPartition, Errors>> first = sender.send(2, "a", 1L, (short) 0, Set.of(TP0), true);
        while (coordinator.requests.isEmpty()) {
            Thread.onSpinWait();
        }
        CompletableFuture<Map<TopicPartition, Errors>> b = sender.send(2, "b", 2L, (short) 1, Set.of(TP0, TP1), false);
        CompletableFuture<Map<TopicPartition, Errors>> c = sender.send(2, "c", 3L, (short) 2, Set.of(TP0), true);
        CompletableFuture<Map<TopicPartition, Errors>> bAgain = sender.send(2, "b", 2L, (short) 1, Set.of(TP1), false);
        assertFalse(first.isDone());
        coordinator.release.complete(null);

        assertEquals(Map.of(), first.get(20, TimeUnit.SECONDS));
        assertEquals(Map.of(TP1, Errors.TRANSACTION_ABORTABLE), b.get(20, TimeUnit.SECONDS));
        assertEquals(Map.of(), c.get(20, TimeUnit.SECONDS));
        assertEquals(Map.of(TP1, Errors.TRANSACTION_ABORTABLE), bAgain.get(20, TimeUnit.SECONDS));
        assertEquals(3, coordinator.requests.size(), "one request, then b and c together, then b's second check");
        AddPartitionsToTxnRequestData together = coordinator.requests.get(1);
        assertEquals(2, together.transactions().size());
        assertFalse(together.transactions().find("b").verifyOnly());
        assertTrue(together.transactions().find("c").verifyOnly());
        assertEquals(3L, together.transactions().find("c").producerId());
        assertEquals(List.of("b"), coordinator.requests.get(2).transactions().stream()
                .map(AddPartitionsToTxnTransaction::transactionalId).toList());
    }

    @Test
    void anUnknownBrokerIsCoordinatorNotAvailable() throws Exception {
        MetadataImage empty = new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0L, 10L);
        sender = new AddPartitionsToTxnSender(() -> empty, LISTENER);
        assertEquals(Map.of(TP0, Errors.COORDINATOR_NOT_AVAILABLE),
                sender.send(5, "a", 1L, (short) 0, Set.of(TP0), true).get(20, TimeUnit.SECONDS));
    }
}

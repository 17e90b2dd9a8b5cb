package io.millrace.server.handlers;

import static io.millrace.server.handlers.ClusterFixture.context;
import static io.millrace.server.handlers.ClusterFixture.endpoint;
import static io.millrace.server.handlers.ClusterFixture.partition;
import static io.millrace.server.handlers.ClusterFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.millrace.common.Time;
import io.millrace.common.config.BrokerConfig;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.group.GroupTypeConfigs;
import io.millrace.coordinator.runtime.CoordinatorLog;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.txn.TransactionCoordinatorConfig;
import io.millrace.coordinator.txn.TransactionCoordinatorService;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.coordinator.CoordinatorTopic;
import io.millrace.server.coordinator.CoordinatorTopicSpec;
import io.millrace.server.coordinator.TransactionSurfaces;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.producer.ProducerIdAllocator;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transactional API handlers over a real transaction coordinator (in-memory log, markers
 * never written, so a committed transaction stays PrepareCommit), each response serialised at the
 * version it answers.
 */
class TransactionHandlersTest {
    private final ClusterFixture cluster = new ClusterFixture()
            .broker(1, false, endpoint("PLAINTEXT", "host-1", 9001));
    private final AtomicLong ids = new AtomicLong(3000);
    private final TransactionCoordinatorService transactions = new TransactionCoordinatorService(
            new TransactionCoordinatorConfig(1, 1, 900_000, 10_000, 604_800_000L, 3_600_000L), memoryLog(), Time.SYSTEM,
            () -> CompletableFuture.completedFuture(ids.getAndIncrement()), markers -> new CompletableFuture<>());
    private final GroupCoordinatorService groups = new GroupCoordinatorService(
            GroupCoordinatorConfig.from(BrokerConfig.fromProperties(Map.of("offsets.topic.num.partitions", "5"))),
            memoryLog(), noTopics(), Time.SYSTEM, GroupTypeConfigs.defaults());

    TransactionHandlersTest() throws InterruptedException {
        cluster.topic("orders", partition(0, 1, List.of(1), List.of(1)), partition(1, 1, List.of(1), List.of(1)));
        transactions.onElection(0);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!transactions.isActive(0) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    @AfterEach
    void close() {
        transactions.close();
        groups.close();
    }

    private <T extends ApiMessage> T call(
            ApiHandler<?> handler, ApiMessage request, int version)
            throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        T response = (T) ((ApiHandler) handler).handle(context(handler.apiKey(), version), request).get();
        write(response, version);
        return response;
    }

    private InitProducerIdResponseData init(String transactionalId) throws Exception {
        return call(new InitProducerIdHandler(new ProducerIdAllocator(1, cluster), transactions),
                new InitProducerIdRequestData().setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)
                        .setProducerId(-1).setProducerEpoch((short) -1), 5);
    }

    private static AddPartitionsToTxnTopicCollection topics(String topic, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partitions)));
        return topics;
    }

    @Test
    void aTransactionThroughEveryHandler() throws Exception {
        List<ApiHandler<?>> handlers = TransactionSurfaces.handlers(transactions, groups, cluster);
        InitProducerIdResponseData producer = init("tx");
        assertEquals(Errors.NONE.code(), producer.errorCode());
        assertEquals(3000, producer.producerId());
        assertEquals(0, producer.producerEpoch());

        AddPartitionsToTxnResponseData added = call(handlers.get(0), new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx").setV3AndBelowProducerId(3000).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(topics("orders", 0)), 3);
        assertEquals(Errors.NONE.code(), added.resultsByTopicV3AndBelow().find("orders").resultsByPartition()
                .find(0).partitionErrorCode());
        AddPartitionsToTxnResponseData unknown = call(handlers.get(0), new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx").setV3AndBelowProducerId(3000).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(topics("orders", 1, 7)), 3);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), unknown.resultsByTopicV3AndBelow().find("orders")
                .resultsByPartition().find(7).partitionErrorCode());
        assertEquals(Errors.OPERATION_NOT_ATTEMPTED.code(), unknown.resultsByTopicV3AndBelow().find("orders")
                .resultsByPartition().find(1).partitionErrorCode());

        AddPartitionsToTxnTransactionCollection verify = new AddPartitionsToTxnTransactionCollection();
        verify.add(new AddPartitionsToTxnTransaction().setTransactionalId("tx").setProducerId(3000)
                .setProducerEpoch((short) 0).setVerifyOnly(true).setTopics(topics("orders", 0, 1)));
        AddPartitionsToTxnResponseData verified = call(handlers.get(0),
                new AddPartitionsToTxnRequestData().setTransactions(verify), 4);
        var partitions = verified.resultsByTransaction().find("tx").topicResults().find("orders").resultsByPartition();
        assertEquals(Errors.NONE.code(), partitions.find(0).partitionErrorCode());
        assertEquals(Errors.TRANSACTION_ABORTABLE.code(), partitions.find(1).partitionErrorCode());

        AddOffsetsToTxnResponseData offsets = call(handlers.get(1), new AddOffsetsToTxnRequestData()
                .setTransactionalId("tx").setProducerId(3000).setProducerEpoch((short) 0).setGroupId("copier"), 3);
        assertEquals(Errors.NONE.code(), offsets.errorCode());

        EndTxnResponseData ended = call(handlers.get(2), new EndTxnRequestData().setTransactionalId("tx")
                .setProducerId(3000).setProducerEpoch((short) 0).setCommitted(true), 5);
        assertEquals(Errors.NONE.code(), ended.errorCode());
        assertEquals(3000, ended.producerId());
        assertEquals(1, ended.producerEpoch());

        DescribeTransactionsResponseData described = call(handlers.get(3),
                new DescribeTransactionsRequestData().setTransactionalIds(List.of("tx", "nobody")), 0);
        DescribeTransactionsResponseData.TransactionState tx = described.transactionStates().get(0);
        assertEquals("PrepareCommit", tx.transactionState());
        int offsetsPartition = GroupIds.partitionFor("copier", 5);
        assertEquals(List.of(offsetsPartition), tx.topics().find(CoordinatorTopicSpec.CONSUMER_OFFSETS).partitions());
        assertEquals(List.of(0), tx.topics().find("orders").partitions());
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), described.transactionStates().get(1).errorCode());

        ListTransactionsResponseData listed = call(handlers.get(4), new ListTransactionsRequestData()
                .setStateFilters(List.of("PrepareCommit")), 1);
        assertEquals(List.of("tx"), listed.transactionStates().stream()
                .map(ListTransactionsResponseData.TransactionState::transactionalId).toList());
        ListTransactionsResponseData byPattern = call(handlers.get(4), new ListTransactionsRequestData()
                .setTransactionalIdPattern("other-.*"), 2);
        assertEquals(List.of(), byPattern.transactionStates(), "v2 filters by the transactional id pattern");
        ListTransactionsResponseData badPattern = call(handlers.get(4), new ListTransactionsRequestData()
                .setTransactionalIdPattern("t("), 2);
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(), badPattern.errorCode());
        assertEquals(1, this.<ListTransactionsResponseData>call(handlers.get(4), new ListTransactionsRequestData()
                .setTransactionalIdPattern("tx"), 2).transactionStates().size());
    }

    @Test
    void findCoordinatorAnswersTheLeaderOfTheTransactionalIdsPartition() throws Exception {
        cluster.topic(CoordinatorTopicSpec.TRANSACTION_STATE, partition(0, 1, List.of(1), List.of(1)));
        CoordinatorTopic offsetsTopic = new CoordinatorTopic(
                CoordinatorTopicSpec.consumerOffsets(BrokerConfig.defaults(), false), 1, cluster, cluster, groups);
        CoordinatorTopic transactionTopic = new CoordinatorTopic(
                CoordinatorTopicSpec.transactionState(BrokerConfig.defaults(), false), 1, cluster, cluster, transactions);
        FindCoordinatorResponseData found = call(new FindCoordinatorHandler(
                        new LiveBrokers(ClusterFixture.identity(1, 9001), () -> 1), cluster, offsetsTopic, transactionTopic),
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("tx")), 4);
        assertEquals(Errors.NONE.code(), found.coordinators().get(0).errorCode());
        assertEquals(1, found.coordinators().get(0).nodeId());
    }

    @Test
    void withoutTheCoordinatorTransactionalIdsStayUnsupported() throws Exception {
        InitProducerIdResponseData response = call(new InitProducerIdHandler(new ProducerIdAllocator(1, cluster), null),
                new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(60_000), 4);
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
    }

    private static CoordinatorLog memoryLog() {
        return new CoordinatorLog() {
            private final List<CoordinatorRecord> records = new CopyOnWriteArrayList<>();

            @Override
            public Appended append(int partition, io.millrace.coordinator.runtime.BatchProducer producer,
                                   List<CoordinatorRecord> appended) {
                long base = records.size();
                records.addAll(appended);
                return new Appended(base, CompletableFuture.completedFuture(null));
            }

            @Override
            public Appended appendEndTransactionMarker(int partition, long producerId, short producerEpoch,
                                                       int coordinatorEpoch,
                                                       io.millrace.coordinator.runtime.TransactionMarker marker) {
                throw new UnsupportedOperationException("the transaction state log never gets markers");
            }

            @Override
            public void readAll(int partition, RecordSink sink) {
            }
        };
    }

    private static TopicsView noTopics() {
        return new TopicsView() {
            @Override
            public Optional<TopicInfo> byName(String name) {
                return Optional.empty();
            }

            @Override
            public Optional<TopicInfo> byId(Uuid id) {
                return Optional.empty();
            }

            @Override
            public Collection<TopicInfo> all() {
                return List.of();
            }
        };
    }
}

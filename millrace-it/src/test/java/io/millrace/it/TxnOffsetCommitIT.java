package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.GroupIds;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TxnOffsetCommit end to end on one broker over raw requests, as a transactional producer's
 * {@code sendOffsetsToTransaction} and its transaction coordinator would drive it: the offsets of a
 * producer id InitProducerId handed out are pending (OffsetFetch with require_stable answers
 * UNSTABLE_OFFSET_COMMIT, without it nothing is committed) until WriteTxnMarkers writes the
 * transaction's marker to the group's {@code __consumer_offsets} partition: COMMIT shows them (also
 * to Apache Kafka's Admin client), ABORT leaves nothing.
 *
 * <p>These raw requests stand in for the transaction coordinator (their producer ids are not a
 * transactional id's), so the broker runs with {@code transaction.partition.verification.enable}
 * off and they use versions up to 4 (transaction version 1). Version 5 (transaction version 2)
 * always has the transaction coordinator add the group's partition (KIP-890 part 2): it runs a
 * real transaction, ended with EndTxn v5.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TxnOffsetCommitIT {
    private static final String TOPIC = "input";
    private static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final short LAST_TV1_VERSION = 4;

    @TempDir
    static Path dataDir;
    static InProcessBroker broker;
    static RawKafkaConnection raw;

    @BeforeAll
    static void start() {
        broker = InProcessBroker.start(dataDir, Map.of("transaction.partition.verification.enable", "false"));
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
    void offsetsCommittedInATransactionAreUnstableUntilTheCommitMarkerThenVisible() {
        String group = "txn-committing";
        InitProducerIdResponseData producer = initProducerId();
        assertTrue(raw.version(ApiKeys.TXN_OFFSET_COMMIT) >= 3, "TxnOffsetCommit with group metadata is advertised");
        assertEquals(Errors.NONE, txnOffsetCommit(group, producer, 42));

        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT, Errors.forCode(fetch(group, true).errorCode()));
        assertEquals(-1, fetch(group, false).committedOffset(), "nothing is committed before the marker");

        assertEquals(Errors.NONE, writeMarker(producer, true, OFFSETS_TOPIC, offsetsPartition(group)));
        OffsetFetchResponsePartitions committed = fetch(group, true);
        assertEquals(Errors.NONE, Errors.forCode(committed.errorCode()));
        assertEquals(42, committed.committedOffset());
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = Clients.get(admin.listConsumerGroupOffsets(group,
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata());
            assertEquals(42, offsets.get(new TopicPartition(TOPIC, 1)).offset());
            assertEquals("txn", offsets.get(new TopicPartition(TOPIC, 1)).metadata());
        }
    }

    @Test
    void offsetsCommittedInAnAbortedTransactionVanish() {
        String group = "txn-aborting";
        InitProducerIdResponseData producer = initProducerId();
        assertEquals(Errors.NONE, txnOffsetCommit(group, producer, 7));
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT, Errors.forCode(fetch(group, true).errorCode()));

        assertEquals(Errors.NONE, writeMarker(producer, false, OFFSETS_TOPIC, offsetsPartition(group)));
        OffsetFetchResponsePartitions fetched = fetch(group, true);
        assertEquals(Errors.NONE, Errors.forCode(fetched.errorCode()));
        assertEquals(-1, fetched.committedOffset());
    }

    @Test
    void anUnknownTopicIsRefusedAndAGenerationForAGroupThatDoesNotExistIsIllegal() {
        InitProducerIdResponseData producer = initProducerId();
        String group = "txn-refused";
        findCoordinator(group);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, send(txnOffsetCommitRequest(group, producer, "no-such-topic", -1, 1),
                LAST_TV1_VERSION));
        assertEquals(Errors.ILLEGAL_GENERATION, send(txnOffsetCommitRequest(group, producer, TOPIC, 3, 1),
                LAST_TV1_VERSION));
    }

    @Test
    void aProducerEpochOlderThanTheOffsetsPartitionKnowsIsRefused() {
        String group = "txn-fenced";
        InitProducerIdResponseData producer = initProducerId();
        assertEquals(Errors.NONE, txnOffsetCommit(group, producer, 1));
        InitProducerIdResponseData bumped = new InitProducerIdResponseData().setProducerId(producer.producerId())
                .setProducerEpoch((short) (producer.producerEpoch() + 1));
        assertEquals(Errors.NONE, writeMarker(bumped, false, OFFSETS_TOPIC, offsetsPartition(group)));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, txnOffsetCommit(group, producer, 2),
                "the partition knows the producer's newer epoch from its marker");
        assertEquals(Errors.NONE, txnOffsetCommit(group, bumped, 3));
    }

    @Test
    void everyAdvertisedVersionCommitsAndTheMarkerShowsTheOffset() {
        assertEquals(5, raw.version(ApiKeys.TXN_OFFSET_COMMIT));
        for (short v = ApiKeys.TXN_OFFSET_COMMIT.oldestVersion(); v <= LAST_TV1_VERSION; v++) {
            String group = "txn-v" + v;
            InitProducerIdResponseData producer = initProducerId();
            findCoordinator(group);
            assertEquals(Errors.NONE, send(txnOffsetCommitRequest(group, producer, TOPIC, -1, 100 + v), v), "v" + v);
            assertEquals(Errors.NONE, writeMarker(producer, true, OFFSETS_TOPIC, offsetsPartition(group)), "v" + v);
            assertEquals(100 + v, fetch(group, true).committedOffset(), "v" + v);
        }
    }

    @Test
    void atTransactionVersionTwoTheCommitAddsTheGroupToTheTransaction() {
        String group = "txn-v2";
        String transactionalId = "tx-" + group;
        retrying(() -> (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData().setKeyType((byte) 1)
                .setCoordinatorKeys(List.of(transactionalId))).data(),
                r -> Errors.forCode(r.coordinators().get(0).errorCode()));
        InitProducerIdResponseData producer = retrying(() -> (InitProducerIdResponseData) raw.send(
                new InitProducerIdRequestData().setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)
                        .setProducerId(-1).setProducerEpoch((short) -1)).data(), r -> Errors.forCode(r.errorCode()));
        findCoordinator(group);
        assertEquals(Errors.NONE, send(txnOffsetCommitRequest(group, producer, TOPIC, -1, 500), (short) 5),
                "no AddOffsetsToTxn: the group coordinator's check adds the group's partition");
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT, Errors.forCode(fetch(group, true).errorCode()));
        EndTxnResponseData ended = retrying(() -> (EndTxnResponseData) raw.send(new EndTxnRequestData()
                .setTransactionalId(transactionalId).setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setCommitted(true), (short) 5).data(),
                r -> Errors.forCode(r.errorCode()));
        assertEquals(producer.producerEpoch() + 1, ended.producerEpoch(), "transaction version 2 bumps the epoch");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fetch(group, true).committedOffset() != 500) {
            assertTrue(System.nanoTime() < deadline, "the coordinator's COMMIT marker shows the offset");
            sleep();
        }
    }

    /** Sends until the answer is neither "coordinator not ready" nor CONCURRENT_TRANSACTIONS; asserts NONE. */
    private static <T> T retrying(java.util.function.Supplier<T> request, java.util.function.Function<T, Errors> error) {
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

    private static InitProducerIdResponseData initProducerId() {
        InitProducerIdResponseData response = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(60_000)).data();
        assertEquals(Errors.NONE, Errors.forCode(response.errorCode()));
        return response;
    }

    /** Creates __consumer_offsets on first use and waits until the group's coordinator answers. */
    private static void findCoordinator(String group) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            FindCoordinatorResponseData response = (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData()
                    .setKeyType((byte) 0).setCoordinatorKeys(List.of(group))).data();
            if (response.coordinators().get(0).errorCode() == Errors.NONE.code()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the group coordinator is found");
            sleep();
        }
    }

    private static TxnOffsetCommitRequestData txnOffsetCommitRequest(String group, InitProducerIdResponseData producer,
                                                                     String topic, int generation, long offset) {
        return new TxnOffsetCommitRequestData().setTransactionalId("tx-" + group).setGroupId(group)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setGenerationIdOrMemberEpoch(generation).setMemberId("").setTopics(List.of(
                        new TxnOffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                                new TxnOffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(offset)
                                        .setCommittedMetadata("txn")))));
    }

    private static Errors txnOffsetCommit(String group, InitProducerIdResponseData producer, long offset) {
        findCoordinator(group);
        return send(txnOffsetCommitRequest(group, producer, TOPIC, -1, offset), LAST_TV1_VERSION);
    }

    /** Sends a TxnOffsetCommit at {@code version}, again while the coordinator partition is still loading. */
    private static Errors send(TxnOffsetCommitRequestData request, short version) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            TxnOffsetCommitResponseData response = (TxnOffsetCommitResponseData) raw.send(request, version).data();
            Errors error = Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
            if (!Set.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_COORDINATOR, Errors.COORDINATOR_NOT_AVAILABLE)
                    .contains(error) || System.nanoTime() > deadline) {
                return error;
            }
            sleep();
        }
    }

    private static OffsetFetchResponsePartitions fetch(String group, boolean requireStable) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(requireStable)
                .setGroups(List.of(new OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                        new OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(1))))));
        OffsetFetchResponseData response = (OffsetFetchResponseData) raw.send(request, (short) 8).data();
        assertEquals(Errors.NONE.code(), response.groups().get(0).errorCode());
        return response.groups().get(0).topics().get(0).partitions().get(0);
    }

    private static int offsetsPartition(String group) {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            int partitions = Clients.get(admin.describeTopics(List.of(OFFSETS_TOPIC)).allTopicNames())
                    .get(OFFSETS_TOPIC).partitions().size();
            return GroupIds.partitionFor(group, partitions);
        }
    }

    private static Errors writeMarker(InitProducerIdResponseData producer, boolean commit, String topic, int partition) {
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
        WritableTxnMarker marker = new WritableTxnMarker().setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setTransactionResult(commit).setCoordinatorEpoch(0);
        marker.topics().add(new WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(List.of(partition)));
        request.markers().add(marker);
        WriteTxnMarkersResponseData response = (WriteTxnMarkersResponseData) raw.send(request).data();
        return Errors.forCode(response.markers().get(0).topics().get(0).partitions().get(0).errorCode());
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.millrace.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;

class FetchRequestsTest {
    private static final Uuid ORDERS_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final Uuid EVENTS_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg");
    private static final ReplicaFetcherConfig CONFIG = new ReplicaFetcherConfig(1000, 5000, 250, 7, 100, 30_000);
    private static final List<FetchPosition> POSITIONS = List.of(
            new FetchPosition(new TopicPartition("orders", 0), ORDERS_ID, 5, 120, 4, 10),
            new FetchPosition(new TopicPartition("events", 2), EVENTS_ID, 1, 0, -1, 0),
            new FetchPosition(new TopicPartition("orders", 1), ORDERS_ID, 5, 7, 3, 0));

    /** Writes and reads back the request at {@code version}: what the leader would parse. */
    private static FetchRequestData onTheWire(FetchRequestData request, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(request.size(cache, version));
        request.write(new ByteBufferAccessor(buffer), cache, version);
        buffer.flip();
        return new FetchRequestData(new ByteBufferAccessor(buffer), version);
    }

    @Test
    void latestVersionNamesTopicsByIdAndTheFollowerByReplicaState() {
        short version = ApiKeys.FETCH.latestVersion();
        FetchRequestData sent = onTheWire(FetchRequests.build(3, 42L, CONFIG, version, POSITIONS), version);
        assertEquals(3, sent.replicaState().replicaId());
        assertEquals(42L, sent.replicaState().replicaEpoch());
        assertEquals(250, sent.maxWaitMs());
        assertEquals(7, sent.minBytes());
        assertEquals(5000, sent.maxBytes());
        assertEquals(0, sent.isolationLevel());
        assertEquals(0, sent.sessionId());
        assertEquals(-1, sent.sessionEpoch());
        assertEquals(2, sent.topics().size());
        FetchTopic orders = sent.topics().get(0);
        assertEquals(ORDERS_ID, orders.topicId());
        assertEquals(List.of(0, 1), orders.partitions().stream().map(FetchPartition::partition).toList());
        FetchPartition p0 = orders.partitions().get(0);
        assertEquals(5, p0.currentLeaderEpoch());
        assertEquals(120, p0.fetchOffset());
        assertEquals(4, p0.lastFetchedEpoch());
        assertEquals(10, p0.logStartOffset());
        assertEquals(1000, p0.partitionMaxBytes());
        FetchPartition events = sent.topics().get(1).partitions().get(0);
        assertEquals(EVENTS_ID, sent.topics().get(1).topicId());
        assertEquals(2, events.partition());
        assertEquals(-1, events.lastFetchedEpoch());
    }

    @Test
    void version12NamesTopicsByNameAndTheFollowerByReplicaId() {
        FetchRequestData sent = onTheWire(FetchRequests.build(3, 42L, CONFIG, (short) 12, POSITIONS), (short) 12);
        assertEquals(3, sent.replicaId());
        assertEquals(List.of("orders", "events"), sent.topics().stream().map(FetchTopic::topic).toList());
        assertEquals(4, sent.topics().get(0).partitions().get(0).lastFetchedEpoch());
    }

    @Test
    void version14IdentifiesTheFollowerByReplicaIdAndTopicsById() {
        FetchRequestData sent = onTheWire(FetchRequests.build(3, 42L, CONFIG, (short) 14, POSITIONS), (short) 14);
        assertEquals(3, sent.replicaId());
        assertEquals(ORDERS_ID, sent.topics().get(0).topicId());
    }

    @Test
    void refusesVersionsWithoutDivergingEpochs() {
        assertThrows(IllegalArgumentException.class, () -> FetchRequests.build(3, 1L, CONFIG, (short) 11, POSITIONS));
    }

    @Test
    void negotiatesTheHighestCommonVersionOfAtLeastTheMinimum() {
        short latest = ApiKeys.FETCH.latestVersion();
        assertEquals(latest, NodeConnection.negotiate(ApiKeys.FETCH, (short) 12, (short) 0, (short) (latest + 5)));
        assertEquals(13, NodeConnection.negotiate(ApiKeys.FETCH, (short) 12, (short) 4, (short) 13));
        assertThrows(UnsupportedVersionException.class,
                () -> NodeConnection.negotiate(ApiKeys.FETCH, (short) 12, (short) 4, (short) 11));
        assertTrue(latest >= FetchRequests.REPLICA_STATE_VERSION);
    }
}

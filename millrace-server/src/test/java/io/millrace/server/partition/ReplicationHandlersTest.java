package io.millrace.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.TopicRecord;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.TopicConfigResolver;
import io.millrace.server.handlers.FetchHandler;
import io.millrace.server.handlers.OffsetForLeaderEpochHandler;
import io.millrace.server.handlers.ProduceHandler;
import io.millrace.storage.LogConfig;
import io.millrace.storage.LogManager;
import io.millrace.wire.batch.KafkaRecords;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce acks=all, follower fetches and KIP-951 hints through the real handlers on broker 1. */
class ReplicationHandlersTest {
    private static final Uuid LED = Uuid.randomUuid();
    private static final Uuid OTHER = Uuid.randomUuid();

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(1_000);
    private LogManager logManager;
    private LocalPartitions partitions;
    private PartitionAccess access;
    private MetadataImage image = MetadataImage.EMPTY;

    @BeforeEach
    void setUp() {
        logManager = new LogManager(List.of(dir), time, 300_000);
        partitions = new LocalPartitions(1, logManager, new TopicConfigResolver() {
            @Override
            public LogConfig logConfig(TopicImage topic) {
                return LogConfig.defaults();
            }

            @Override
            public int minInsyncReplicas(TopicImage topic) {
                return 2;
            }
        }, FollowerFetching.NONE, time);
        access = new PartitionAccess(1, partitions);
        publish(broker(1), broker(2), new TopicRecord("led", LED),
                new PartitionRecord(LED, 0, List.of(1, 2), List.of(1, 2), 1, 3, 0),
                new TopicRecord("other", OTHER),
                new PartitionRecord(OTHER, 0, List.of(1, 2), List.of(1, 2), 2, 5, 0));
    }

    @AfterEach
    void tearDown() {
        logManager.close();
    }

    private static BrokerRegistrationRecord broker(int id) {
        return new BrokerRegistrationRecord(id, 10 + id, Uuid.randomUuid(),
                List.of(new BrokerEndpoint("PLAINTEXT", "host" + id, 9000 + id, "PLAINTEXT")), null, false);
    }

    private void publish(MetadataRecord... records) {
        MetadataImage next = image.apply(List.of(records));
        partitions.onImage(image, next);
        image = next;
    }

    private static RequestContext context(ApiKeys api, short version) {
        return new RequestContext(new RequestHeader(api, version, "test", 1), InetAddress.getLoopbackAddress(),
                "PLAINTEXT", 1);
    }

    private CompletableFuture<ProduceResponseData> produce(String topic, short version) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(60_000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(KafkaRecords.wrap(
                        KafkaRecords.batchBuilder().add(1, "k", "v").build())))));
        return new ProduceHandler(new TopicNameResolver(() -> image), access)
                .handle(context(ApiKeys.PRODUCE, version), request);
    }

    private FetchResponseData.PartitionData followerFetch(long offset, int lastFetchedEpoch) {
        return followerFetch(offset, lastFetchedEpoch, 3);
    }

    private FetchResponseData.PartitionData followerFetch(long offset, int lastFetchedEpoch, int currentLeaderEpoch) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(2).setReplicaEpoch(12));
        request.topics().add(new FetchRequestData.FetchTopic().setTopicId(LED).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                        .setCurrentLeaderEpoch(currentLeaderEpoch)
                        .setLastFetchedEpoch(lastFetchedEpoch).setPartitionMaxBytes(1 << 20))));
        return new FetchHandler(new TopicNameResolver(() -> image), access)
                .handle(context(ApiKeys.FETCH, (short) 17), request).join().responses().get(0).partitions().get(0);
    }

    @Test
    void ackAllProduceAnswersOnceTheFollowerFetchedPastIt() {
        CompletableFuture<ProduceResponseData> produced = produce("led", (short) 11);
        assertFalse(produced.isDone());
        FetchResponseData.PartitionData first = followerFetch(0, -1);
        assertEquals(Errors.NONE.code(), first.errorCode());
        assertTrue(first.records().sizeInBytes() > 0);
        assertEquals(0, first.highWatermark());
        assertFalse(produced.isDone());

        FetchResponseData.PartitionData second = followerFetch(1, 3);
        assertEquals(1, second.highWatermark());
        ProduceResponseData response = produced.join();
        ProduceResponseData.PartitionProduceResponse partition = response.responses().iterator().next()
                .partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode());
        assertEquals(0, partition.baseOffset());
    }

    @Test
    void followerWithADivergedLogGetsTheDivergingEpoch() {
        produce("led", (short) 11); // offset 0 at epoch 3
        publish(new PartitionRecord(LED, 0, List.of(1, 2), List.of(1, 2), 1, 5, 1)); // epoch 5 starts at 1
        FetchResponseData.PartitionData data = followerFetch(2, 4, 5); // the follower wrote offset 1 at epoch 4
        assertEquals(Errors.NONE.code(), data.errorCode());
        assertEquals(3, data.divergingEpoch().epoch());
        assertEquals(1, data.divergingEpoch().endOffset());
        assertEquals(0, data.records().sizeInBytes());
        assertEquals(0, data.highWatermark()); // a diverged fetch does not count as progress

        FetchResponseData.PartitionData older = followerFetch(1, 2, 5); // epoch 2 is older than any here
        assertEquals(2, older.divergingEpoch().epoch());
        assertEquals(0, older.divergingEpoch().endOffset());

        FetchResponseData.PartitionData inSync = followerFetch(1, 3, 5);
        assertEquals(-1, inSync.divergingEpoch().epoch());
        assertEquals(1, inSync.highWatermark());
    }

    @Test
    void produceToAPartitionLedElsewhereNamesTheLeader() {
        ProduceResponseData response = produce("other", (short) 11).join();
        ProduceResponseData.PartitionProduceResponse partition = response.responses().iterator().next()
                .partitionResponses().get(0);
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), partition.errorCode());
        assertEquals(2, partition.currentLeader().leaderId());
        assertEquals(5, partition.currentLeader().leaderEpoch());
        ProduceResponseData.NodeEndpoint endpoint = response.nodeEndpoints().find(2);
        assertEquals("host2", endpoint.host());
        assertEquals(9002, endpoint.port());
        MessageUtil.toByteBufferAccessor(response, (short) 11); // serializable at the version

        ProduceResponseData old = produce("other", (short) 9).join();
        assertEquals(-1, old.responses().iterator().next().partitionResponses().get(0).currentLeader().leaderId());
        assertTrue(old.nodeEndpoints().isEmpty());
        MessageUtil.toByteBufferAccessor(old, (short) 9);
    }

    private FetchResponseData consumerFetch(String topic, short version) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20);
        request.topics().add(new FetchRequestData.FetchTopic().setTopic(topic)
                .setTopicId(topic.equals("led") ? LED : OTHER).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setPartitionMaxBytes(1 << 20))));
        return new FetchHandler(new TopicNameResolver(() -> image), access)
                .handle(context(ApiKeys.FETCH, version), request).join();
    }

    @Test
    void fetchFromAPartitionLedElsewhereNamesTheLeaderWhereTheVersionHasTheFields() {
        FetchResponseData v16 = consumerFetch("other", (short) 16);
        FetchResponseData.PartitionData data = v16.responses().get(0).partitions().get(0);
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), data.errorCode());
        assertEquals(2, data.currentLeader().leaderId());
        assertEquals(5, data.currentLeader().leaderEpoch());
        assertEquals("host2", v16.nodeEndpoints().find(2).host());
        MessageUtil.toByteBufferAccessor(v16, (short) 16);

        FetchResponseData v12 = consumerFetch("other", (short) 12);
        assertEquals(2, v12.responses().get(0).partitions().get(0).currentLeader().leaderId());
        assertTrue(v12.nodeEndpoints().isEmpty());
        MessageUtil.toByteBufferAccessor(v12, (short) 12);

        FetchResponseData v11 = consumerFetch("other", (short) 11);
        assertEquals(-1, v11.responses().get(0).partitions().get(0).currentLeader().leaderId());
        MessageUtil.toByteBufferAccessor(v11, (short) 11);
    }

    @Test
    void offsetForLeaderEpochAnswersOnTheLeaderOnly() {
        produce("led", (short) 11);
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        request.topics().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("led")
                .setPartitions(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                        .setPartition(0).setCurrentLeaderEpoch(3).setLeaderEpoch(3))));
        request.topics().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("other")
                .setPartitions(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                        .setPartition(0).setCurrentLeaderEpoch(-1).setLeaderEpoch(5))));
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochHandler(access)
                .handle(context(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4), request).join();
        OffsetForLeaderEpochResponseData.EpochEndOffset led = response.topics().find("led").partitions().get(0);
        assertEquals(Errors.NONE.code(), led.errorCode());
        assertEquals(3, led.leaderEpoch());
        assertEquals(1, led.endOffset());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(),
                response.topics().find("other").partitions().get(0).errorCode());
    }
}

package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ReadShareGroupStateResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateSummaryResponse;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable share state (KIP-932's share coordinator over {@code __share_group_state}): records a
 * share consumer accepted are not delivered again after the broker restarts, and the ones it did
 * not are, with delivery counts that include a delivery whose lock expired unacknowledged. Records are delivered in offset order, so the first records a consumer gets after the
 * restart show whether any accepted one came back; the share coordinator's summary (API 87, which
 * brokers use among themselves) then shows the share-partition start past every record.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShareStateRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void acceptedRecordsAreNotRedeliveredAfterARestartAndTheOthersAre() throws Exception {
        try (InProcessBroker broker = InProcessBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "1",
                "share.coordinator.state.topic.num.partitions", "1", "group.share.min.record.lock.duration.ms", "1000"))) {
            try (Admin admin = Clients.admin(broker.bootstrap());
                 KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of("linger.ms", 0))) {
                Clients.createTopic(admin, "durable", 1, Map.of());
                Clients.setGroupConfigs(admin, "durable", Map.of("share.auto.offset.reset", "earliest"));
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("durable", "d" + i)).get();
                }
            }
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker.bootstrap())) {
                consumer.subscribe(List.of("durable"));
                List<ConsumerRecord<String, String>> first = Clients.pollShare(consumer, 10);
                for (ConsumerRecord<String, String> record : first) {
                    consumer.acknowledge(record, record.offset() < 5 ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
                }
                consumer.commitSync();
            }
            // d5-d9 delivered a second time and never acknowledged: their lock (1 s) expires, and the
            // leader writes the state then, as Kafka's does, so the restart keeps that delivery's count
            try (Admin admin = Clients.admin(broker.bootstrap())) {
                Clients.setGroupConfigs(admin, "durable", Map.of("share.record.lock.duration.ms", "1000"));
            }
            short held = holdWithoutAcknowledging(broker);
            Await.until("the expired locks' delivery counts are written", WAIT, () ->
                    storedBatches(broker).equals(List.of(new ReadShareGroupStateResponseData.StateBatch()
                            .setFirstOffset(5).setLastOffset(9).setDeliveryState((byte) 0).setDeliveryCount(held))));

            broker.restart();

            try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker.bootstrap())) {
                consumer.subscribe(List.of("durable"));
                List<ConsumerRecord<String, String>> again = Clients.pollShare(consumer, 5);
                assertEquals(List.of("d5", "d6", "d7", "d8", "d9"),
                        again.stream().map(ConsumerRecord::value).toList(), "only what was not accepted comes again");
                again.forEach(r -> assertEquals(Short.valueOf((short) (held + 1)), r.deliveryCount().orElseThrow(),
                        "every delivery before the restart counted, the one held until its lock expired too"));
                again.forEach(r -> consumer.acknowledge(r, AcknowledgeType.ACCEPT));
                consumer.commitSync();
            }
            assertEquals(10, stateSummary(broker).startOffset(), "every record accepted: the share-partition starts at 10");
        }
    }

    private static Uuid topicId(InProcessBroker broker) {
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            return Clients.get(admin.describeTopics(List.of("durable")).allTopicNames()).get("durable").topicId();
        }
    }

    /**
     * A member that acquires d5-d9 with a raw ShareFetch and never acknowledges them; their delivery
     * count then: at least 2 (the first consumer may have fetched them again before it closed).
     */
    private static short holdWithoutAcknowledging(InProcessBroker broker) {
        ShareFetchRequestData request = new ShareFetchRequestData().setGroupId("durable").setMemberId("holder")
                .setShareSessionEpoch(0).setMaxWaitMs(5_000).setMinBytes(1).setMaxBytes(1 << 20)
                .setMaxRecords(100).setBatchSize(100);
        ShareFetchRequestData.FetchTopic topic = new ShareFetchRequestData.FetchTopic().setTopicId(topicId(broker));
        topic.partitions().add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
        request.topics().add(topic);
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ShareFetchResponseData response = ((ShareFetchResponse) connection.send(request)).data();
            var acquired = response.responses().iterator().next().partitions().get(0).acquiredRecords();
            assertEquals(1, acquired.size(), response.toString());
            assertEquals(5, acquired.get(0).firstOffset(), response.toString());
            assertEquals(9, acquired.get(0).lastOffset(), response.toString());
            assertTrue(acquired.get(0).deliveryCount() >= 2, response.toString());
            return acquired.get(0).deliveryCount();
        }
    }

    /**
     * The in-flight batches the share coordinator holds for partition 0, read with ReadShareGroupState
     * (API 84) at the leader epoch it knows (which changes nothing).
     */
    private static List<ReadShareGroupStateResponseData.StateBatch> storedBatches(InProcessBroker broker) {
        int leaderEpoch = stateSummary(broker).leaderEpoch();
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ReadShareGroupStateRequestData request = new ReadShareGroupStateRequestData().setGroupId("durable")
                    .setTopics(List.of(new ReadShareGroupStateRequestData.ReadStateData().setTopicId(topicId(broker))
                            .setPartitions(List.of(new ReadShareGroupStateRequestData.PartitionData().setPartition(0)
                                    .setLeaderEpoch(leaderEpoch)))));
            ReadShareGroupStateResponseData.PartitionResult result = ((ReadShareGroupStateResponse) connection
                    .send(request)).data().results().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), result.errorCode(), result.toString());
            return result.stateBatches();
        }
    }

    /** What ReadShareGroupStateSummary (API 87, between brokers) tells of the group's partition 0. */
    private static ReadShareGroupStateSummaryResponseData.PartitionResult stateSummary(InProcessBroker broker) {
        Uuid topicId;
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            topicId = Clients.get(admin.describeTopics(List.of("durable")).allTopicNames()).get("durable").topicId();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ReadShareGroupStateSummaryRequestData request = new ReadShareGroupStateSummaryRequestData()
                    .setGroupId("durable").setTopics(List.of(new ReadShareGroupStateSummaryRequestData.ReadStateSummaryData()
                            .setTopicId(topicId).setPartitions(List.of(
                                    new ReadShareGroupStateSummaryRequestData.PartitionData().setPartition(0)))));
            ReadShareGroupStateSummaryResponseData.PartitionResult result =
                    ((ReadShareGroupStateSummaryResponse) connection.send(request)).data().results().get(0)
                            .partitions().get(0);
            assertEquals(Errors.NONE.code(), result.errorCode(), result.toString());
            return result;
        }
    }


    private static KafkaShareConsumer<String, String> shareConsumer(String bootstrap) {
        return Clients.shareConsumer(bootstrap, "durable", Map.of("share.acknowledgement.mode", "explicit"));
    }
}

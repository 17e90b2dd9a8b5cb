package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ReadShareGroupStateSummaryResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable share state (KIP-932's share coordinator over {@code __share_group_state}): records a
 * share consumer accepted are not delivered again after the broker restarts, and the ones it did
 * not are. Records are delivered in offset order, so the first records a consumer gets after the
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
                "share.coordinator.state.topic.num.partitions", "1"))) {
            try (Admin admin = Clients.admin(broker.bootstrap());
                 KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap(), Map.of("linger.ms", 0))) {
                Clients.createTopic(admin, "durable", 1, Map.of());
                Clients.get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "durable"),
                        List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                AlterConfigOp.OpType.SET)))).all());
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("durable", "d" + i)).get();
                }
            }
            try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker.bootstrap())) {
                consumer.subscribe(List.of("durable"));
                List<ConsumerRecord<String, String>> first = pollFor(consumer, 10);
                for (ConsumerRecord<String, String> record : first) {
                    consumer.acknowledge(record, record.offset() < 5 ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
                }
                consumer.commitSync();
            }

            broker.restart();

            try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker.bootstrap())) {
                consumer.subscribe(List.of("durable"));
                List<ConsumerRecord<String, String>> again = pollFor(consumer, 5);
                assertEquals(List.of("d5", "d6", "d7", "d8", "d9"),
                        again.stream().map(ConsumerRecord::value).toList(), "only what was not accepted comes again");
                again.forEach(r -> assertEquals(Short.valueOf((short) 2), r.deliveryCount().orElseThrow()));
                again.forEach(r -> consumer.acknowledge(r, AcknowledgeType.ACCEPT));
                consumer.commitSync();
            }
            assertEquals(10, stateSummary(broker).startOffset(), "every record accepted: the share-partition starts at 10");
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
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "durable");
        props.put("share.acknowledgement.mode", "explicit");
        return new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> pollFor(KafkaShareConsumer<String, String> consumer,
                                                               int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Await.until(count + " records", WAIT, () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }
}

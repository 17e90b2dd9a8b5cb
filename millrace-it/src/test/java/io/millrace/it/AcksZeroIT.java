package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.testkit.BootstrapServers;
import io.millrace.testkit.MillraceTest;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Produce with acks=0 gets no response, so a failure can only be told by closing the
 * connection (as Kafka does); a success leaves it open and stores the records. The broker comes
 * from millrace-testkit ({@link MillraceTest}), so the project's own suite exercises it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@MillraceTest(topics = "acks0")
class AcksZeroIT {

    @Test
    void failedAcksZeroProduceClosesOnlyThatConnection(@BootstrapServers String bootstrap) throws Exception {
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
            try (RawKafkaConnection conn = RawKafkaConnection.connectAndNegotiate("127.0.0.1", port);
                 RawKafkaConnection other = RawKafkaConnection.connectAndNegotiate("127.0.0.1", port)) {
                short version = (short) Math.min(12, conn.version(ApiKeys.PRODUCE)); // v13+ names topics by id
                conn.sendOnly(produce("acks0", 0), version);
                // The next request on the same connection is answered: nothing was sent for acks=0.
                MetadataResponseData metadata = (MetadataResponseData) conn.send(new MetadataRequestData()
                        .setTopics(null)).data();
                assertTrue(metadata.topics().stream().anyMatch(t -> t.name().equals("acks0")));
                assertFalse(conn.closedByBroker(Duration.ofMillis(200)));

                conn.sendOnly(produce("acks0", 7), version); // no partition 7
                assertTrue(conn.closedByBroker(Duration.ofSeconds(10)), "a failed acks=0 produce closes the connection");

                assertEquals(1L, admin.listOffsets(java.util.Map.of(new org.apache.kafka.common.TopicPartition("acks0", 0),
                        org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get()
                        .values().iterator().next().offset(), "the good acks=0 record was stored");
                other.send(new MetadataRequestData().setTopics(null));
            }
        }
    }

    private static ProduceRequestData produce(String topic, int partition) {
        ByteBuffer batch = KafkaRecords.batchBuilder().add(System.currentTimeMillis(), "k", "v").build();
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                        .setRecords(KafkaRecords.wrap(batch)))));
        return new ProduceRequestData().setAcks((short) 0).setTimeoutMs(10_000).setTopicData(topics);
    }
}

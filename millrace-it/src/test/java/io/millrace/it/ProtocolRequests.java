package io.millrace.it;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Builds single-partition Produce and Fetch requests for {@link RawKafkaConnection}, naming the
 * topic by name before Produce v13 / Fetch v13 and by id from then on, and picks the one
 * partition out of their responses. Stateless.
 */
public final class ProtocolRequests {
    private static final int NEWEST_BY_NAME = 12;

    private ProtocolRequests() {
    }

    /** A topic as requests address it: by name, or by id at newer versions. */
    public record TopicRef(String name, Uuid id) {
    }

    /** Produces {@code batch} (one or more v2 batches) to one partition with acks=-1. */
    public static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, TopicRef topic,
                                                                       int partition, ByteBuffer batch) {
        return produce(connection, connection.version(ApiKeys.PRODUCE), topic, partition, batch);
    }

    /** Produces {@code batch} to one partition with acks=-1 at {@code version}. */
    public static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection connection, short version,
                                                                       TopicRef topic, int partition, ByteBuffer batch) {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(KafkaRecords.wrap(batch.duplicate()))));
        if (version > NEWEST_BY_NAME) {
            topicData.setTopicId(topic.id());
        } else {
            topicData.setName(topic.name());
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topicData);
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTopicData(topics);
        ProduceResponseData response = (ProduceResponseData) connection.send(request, version).data();
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    /** Fetches one partition from {@code offset}, answering at once (max wait 0). */
    public static FetchResponseData.PartitionData fetch(RawKafkaConnection connection, TopicRef topic, int partition,
                                                        long offset, int partitionMaxBytes) {
        return fetch(connection, connection.version(ApiKeys.FETCH), topic, partition, offset, partitionMaxBytes);
    }

    /** Fetches one partition from {@code offset} at {@code version}, answering at once (max wait 0). */
    public static FetchResponseData.PartitionData fetch(RawKafkaConnection connection, short version, TopicRef topic,
                                                        int partition, long offset, int partitionMaxBytes) {
        FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic()
                .setPartitions(List.of(new FetchRequestData.FetchPartition()
                        .setPartition(partition)
                        .setFetchOffset(offset)
                        .setPartitionMaxBytes(partitionMaxBytes)));
        if (version > NEWEST_BY_NAME) {
            fetchTopic.setTopicId(topic.id());
        } else {
            fetchTopic.setTopic(topic.name());
        }
        FetchRequestData request = new FetchRequestData()
                .setMaxWaitMs(0)
                .setMinBytes(0)
                .setMaxBytes(partitionMaxBytes)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(fetchTopic));
        FetchResponseData response = (FetchResponseData) connection.send(request, version).data();
        return response.responses().get(0).partitions().get(0);
    }

    /** The records of a fetched partition (test code may use kafka-clients' record classes). */
    public static MemoryRecords records(FetchResponseData.PartitionData partition) {
        return (MemoryRecords) partition.records();
    }
}

package io.millrace.server.handlers;

import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;

/** One partition's records of a Produce request and the answer to fill in for it. */
record PartitionAppend(TopicPartition tp, PartitionProduceResponse partition, ByteBuffer records) {
}

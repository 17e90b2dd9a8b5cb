package io.millrace.server.handlers;

import io.millrace.storage.VerificationGuard;
import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;

/**
 * One partition's records of a Produce request, the answer to fill in for it, and the transaction
 * verification its append is held to ({@link VerificationGuard#UNCHECKED} when none).
 */
record PartitionAppend(TopicPartition tp, PartitionProduceResponse partition, ByteBuffer records,
                       VerificationGuard guard) {
    PartitionAppend(TopicPartition tp, PartitionProduceResponse partition, ByteBuffer records) {
        this(tp, partition, records, VerificationGuard.UNCHECKED);
    }

    PartitionAppend withGuard(VerificationGuard verification) {
        return new PartitionAppend(tp, partition, records, verification);
    }
}

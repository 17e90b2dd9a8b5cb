package io.millrace.server.replication;

import io.millrace.server.partition.Partition;
import io.millrace.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** What a fetcher needs of a followed partition: its name, its topic's id and its log. */
record FollowedLog(TopicPartition topicPartition, Uuid topicId, PartitionLog log) {

    static FollowedLog of(Partition partition) {
        return new FollowedLog(partition.topicPartition(), partition.topicId(), partition.log());
    }
}

package io.millrace.coordinator.sharestate;

import org.apache.kafka.common.Uuid;

/**
 * What one share-partition state is kept under: the share group and the partition, by topic id.
 * Its {@link #coordinatorKey()} is Kafka's ("groupId:topicId:partition"), which picks the
 * {@code __share_group_state} partition. Immutable.
 */
public record ShareStateKey(String groupId, Uuid topicId, int partition) {
    public String coordinatorKey() {
        return groupId + ":" + topicId + ":" + partition;
    }
}

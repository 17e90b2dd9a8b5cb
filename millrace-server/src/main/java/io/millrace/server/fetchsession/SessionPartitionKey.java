package io.millrace.server.fetchsession;

import org.apache.kafka.common.Uuid;

/**
 * Names a partition within one fetch session as Kafka keys it: by topic id when the session uses
 * topic ids (Fetch v13+), by topic name otherwise (one of the two is null).
 *
 * <p>Immutable; thread-safe.
 */
record SessionPartitionKey(Uuid topicId, String topic, int partition) {
    static SessionPartitionKey of(boolean usesTopicIds, Uuid topicId, String topic, int partition) {
        return usesTopicIds ? new SessionPartitionKey(topicId, null, partition)
                : new SessionPartitionKey(null, topic, partition);
    }
}

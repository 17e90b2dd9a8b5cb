package io.millrace.coordinator.group;

import io.millrace.coordinator.consumer.ConsumerGroupConfig;
import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.coordinator.streams.StreamsGroupConfig;

/**
 * The settings of the group types beside classic groups (whose settings are in
 * {@link io.millrace.coordinator.GroupCoordinatorConfig}).
 *
 * @param consumer KIP-848 consumer groups
 * @param streams  KIP-1071 streams groups
 * @param share    KIP-932 share groups
 */
public record GroupTypeConfigs(ConsumerGroupConfig consumer, StreamsGroupConfig streams, ShareGroupConfig share) {

    /** Share groups at Kafka's defaults. */
    public GroupTypeConfigs(ConsumerGroupConfig consumer, StreamsGroupConfig streams) {
        this(consumer, streams, ShareGroupConfig.defaults());
    }

    /** Kafka's defaults for every type. */
    public static GroupTypeConfigs defaults() {
        return new GroupTypeConfigs(ConsumerGroupConfig.defaults(), StreamsGroupConfig.defaults(),
                ShareGroupConfig.defaults());
    }
}

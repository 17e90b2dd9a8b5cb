package io.millrace.coordinator.group;

import io.millrace.coordinator.consumer.ConsumerGroupConfig;
import io.millrace.coordinator.streams.StreamsGroupConfig;

/**
 * The settings of the group types beside classic groups (whose settings are in
 * {@link io.millrace.coordinator.GroupCoordinatorConfig}).
 *
 * @param consumer KIP-848 consumer groups
 * @param streams  KIP-1071 streams groups
 */
public record GroupTypeConfigs(ConsumerGroupConfig consumer, StreamsGroupConfig streams) {

    /** Kafka's defaults for every type. */
    public static GroupTypeConfigs defaults() {
        return new GroupTypeConfigs(ConsumerGroupConfig.defaults(), StreamsGroupConfig.defaults());
    }
}

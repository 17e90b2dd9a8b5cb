package io.millrace.coordinator.group;

import io.millrace.coordinator.consumer.ConsumerGroupConfig;

/**
 * The settings of the group types beside classic groups (whose settings are in
 * {@link io.millrace.coordinator.GroupCoordinatorConfig}).
 *
 * @param consumer KIP-848 consumer groups
 */
public record GroupTypeConfigs(ConsumerGroupConfig consumer) {

    /** Kafka's defaults for every type. */
    public static GroupTypeConfigs defaults() {
        return new GroupTypeConfigs(ConsumerGroupConfig.defaults());
    }
}

package io.millrace.metadata.records;

import java.util.Arrays;
import java.util.Optional;

/**
 * The client quotas a user or client id may have, with Kafka's names and types: byte rates are
 * whole bytes per second (Kafka's LONG), the others fractions (DOUBLE).
 */
public enum QuotaKey {
    /** Bytes per second of produce requests. */
    PRODUCER_BYTE_RATE("producer_byte_rate", true),
    /** Bytes per second of fetch responses. */
    CONSUMER_BYTE_RATE("consumer_byte_rate", true),
    /** Percentage of one request handler thread's time (per quota window). */
    REQUEST_PERCENTAGE("request_percentage", false),
    /** Partitions created or deleted per second (KIP-599). */
    CONTROLLER_MUTATION_RATE("controller_mutation_rate", false);

    private final String configName;
    private final boolean integral;

    QuotaKey(String configName, boolean integral) {
        this.configName = configName;
        this.integral = integral;
    }

    public String configName() {
        return configName;
    }

    /** Whether values must be whole numbers (Kafka's LONG quota keys). */
    public boolean integral() {
        return integral;
    }

    public static Optional<QuotaKey> of(String configName) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(configName)).findFirst();
    }
}

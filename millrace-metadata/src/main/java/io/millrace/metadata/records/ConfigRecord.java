package io.millrace.metadata.records;

/**
 * A dynamic config was set ({@code value} non-null) or removed ({@code value} null).
 *
 * @param resourceType Kafka's ConfigResource type id: 2 = topic, 4 = broker, 32 = group
 * @param resourceName the topic name, a broker id, "" for the cluster-wide broker default, or a group id
 */
public record ConfigRecord(byte resourceType, String resourceName, String name, String value)
        implements MetadataRecord {
    public static final byte TOPIC = 2;
    public static final byte BROKER = 4;
    public static final byte GROUP = 32;
}

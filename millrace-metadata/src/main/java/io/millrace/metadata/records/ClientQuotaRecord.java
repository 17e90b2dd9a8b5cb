package io.millrace.metadata.records;

/**
 * One client quota of an entity was set ({@code remove} false: {@code key} is now {@code value})
 * or removed ({@code remove} true: {@code value} is meaningless), as Kafka's ClientQuotaRecord.
 * Keys are {@link QuotaKey} names.
 */
public record ClientQuotaRecord(QuotaEntity entity, String key, double value, boolean remove) implements MetadataRecord {

    public static ClientQuotaRecord set(QuotaEntity entity, String key, double value) {
        return new ClientQuotaRecord(entity, key, value, false);
    }

    public static ClientQuotaRecord removal(QuotaEntity entity, String key) {
        return new ClientQuotaRecord(entity, key, 0, true);
    }
}

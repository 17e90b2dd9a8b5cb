package io.millrace.metadata.records;

/** A block of producer ids was handed to {@code brokerId}; the next free id is {@code nextProducerId}. */
public record ProducerIdsRecord(int brokerId, long nextProducerId) implements MetadataRecord {
}

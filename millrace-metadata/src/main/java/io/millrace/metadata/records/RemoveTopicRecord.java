package io.millrace.metadata.records;

import org.apache.kafka.common.Uuid;

/** A topic and all its partitions and configs were deleted. */
public record RemoveTopicRecord(Uuid topicId) implements MetadataRecord {
}

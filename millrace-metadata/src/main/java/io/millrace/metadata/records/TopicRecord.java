package io.millrace.metadata.records;

import org.apache.kafka.common.Uuid;

/** A topic was created. Its partitions follow as {@link PartitionRecord}s. */
public record TopicRecord(String name, Uuid topicId) implements MetadataRecord {
}

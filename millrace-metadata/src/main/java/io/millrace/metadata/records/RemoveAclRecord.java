package io.millrace.metadata.records;

import org.apache.kafka.common.Uuid;

/** The ACL of {@code id} was deleted. */
public record RemoveAclRecord(Uuid id) implements MetadataRecord {
}

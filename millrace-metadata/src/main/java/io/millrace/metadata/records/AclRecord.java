package io.millrace.metadata.records;

import io.millrace.metadata.acl.AclEntry;
import org.apache.kafka.common.Uuid;

/** An ACL was created; {@code id} names it for its removal. */
public record AclRecord(Uuid id, AclEntry acl) implements MetadataRecord {
}

package io.millrace.metadata.records;

/** A user's SCRAM credential for one mechanism was deleted. */
public record RemoveScramCredentialRecord(String user, ScramMechanism mechanism) implements MetadataRecord {
}

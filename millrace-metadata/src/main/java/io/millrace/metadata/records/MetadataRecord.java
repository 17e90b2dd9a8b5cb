package io.millrace.metadata.records;

/**
 * One change to the cluster metadata. The controller writes these; every holder of metadata
 * (the controller itself, brokers, a restarting node) changes state only by replaying them in
 * order. Adding a kind means adding it here, to {@link MetadataRecordSerde}, and to the image's
 * replay switch — the compiler finds the places because the interface is sealed.
 */
public sealed interface MetadataRecord
        permits TopicRecord, PartitionRecord, RemoveTopicRecord, ConfigRecord, ProducerIdsRecord,
        BrokerRegistrationRecord, BrokerStateRecord, ScramCredentialRecord, RemoveScramCredentialRecord,
        AclRecord, RemoveAclRecord, ClientQuotaRecord {
}

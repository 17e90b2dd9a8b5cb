package io.millrace.metadata.records;

/**
 * A registered broker was fenced (missed heartbeats, or a new incarnation registered),
 * unfenced, or began a controlled shutdown.
 */
public record BrokerStateRecord(int brokerId, long brokerEpoch, boolean fenced, boolean inControlledShutdown)
        implements MetadataRecord {
}

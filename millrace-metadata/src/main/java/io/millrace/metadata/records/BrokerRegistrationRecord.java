package io.millrace.metadata.records;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A broker (re-)registered. A new {@code brokerEpoch} fences every earlier incarnation of the
 * same broker id; the broker starts fenced until its heartbeats unfence it.
 */
public record BrokerRegistrationRecord(int brokerId, long brokerEpoch, Uuid incarnationId,
                                       List<BrokerEndpoint> endpoints, String rack, boolean fenced)
        implements MetadataRecord {
    public BrokerRegistrationRecord {
        endpoints = List.copyOf(endpoints);
    }
}

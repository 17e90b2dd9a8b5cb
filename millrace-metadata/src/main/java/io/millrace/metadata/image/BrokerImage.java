package io.millrace.metadata.image;

import io.millrace.metadata.records.BrokerEndpoint;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/** A registered broker as the metadata describes it: immutable. */
public record BrokerImage(int brokerId, long brokerEpoch, Uuid incarnationId, List<BrokerEndpoint> endpoints,
                          String rack, boolean fenced, boolean inControlledShutdown) {
    public BrokerImage {
        endpoints = List.copyOf(endpoints);
    }

    /** Whether the broker may lead and host in-sync replicas: registered, unfenced, not shutting down. */
    public boolean isActive() {
        return !fenced && !inControlledShutdown;
    }

    public Optional<BrokerEndpoint> endpoint(String listenerName) {
        return endpoints.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
    }
}

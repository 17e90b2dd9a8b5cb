package io.millrace.coordinator.streams;

import java.util.Map;

/**
 * What a streams group member told the coordinator about itself (record key type 19).
 *
 * @param topologyEpoch the epoch of the topology the member runs
 * @param processId     the Kafka Streams instance (one process runs several members, one per thread)
 * @param endpointHost  its interactive-query endpoint ({@code application.server}), null if none
 */
public record StreamsMember(String memberId, String instanceId, String rackId, String clientId, String clientHost,
                            int rebalanceTimeoutMs, int topologyEpoch, String processId, String endpointHost,
                            int endpointPort, Map<String, String> clientTags) {
    public StreamsMember {
        clientTags = Map.copyOf(clientTags);
    }
}

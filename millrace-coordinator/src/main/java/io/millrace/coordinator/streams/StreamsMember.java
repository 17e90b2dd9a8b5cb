package io.millrace.coordinator.streams;

import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.Map;

/**
 * What a streams group member told the coordinator about itself (record key type 19).
 *
 * @param topologyEpoch     the epoch of the topology the member runs
 * @param processId         the Kafka Streams instance (one process runs several members, one per thread)
 * @param endpointHost      its interactive-query endpoint ({@code application.server}), null if none
 * @param taskOffsets       the changelog offsets (summed per task) of the tasks it has state for, as
 *                          last reported (every {@code task.offset.interval}); the assignor's warm-ups
 *                          read them
 * @param taskEndOffsets    the changelog end offsets of the tasks it reported them for
 * @param shutdownRequested the member asked the whole application to shut down
 */
public record StreamsMember(String memberId, String instanceId, String rackId, String clientId, String clientHost,
                            int rebalanceTimeoutMs, int topologyEpoch, String processId, String endpointHost,
                            int endpointPort, Map<String, String> clientTags, Map<TaskId, Long> taskOffsets,
                            Map<TaskId, Long> taskEndOffsets, boolean shutdownRequested) {
    public StreamsMember {
        clientTags = Map.copyOf(clientTags);
        taskOffsets = Map.copyOf(taskOffsets);
        taskEndOffsets = Map.copyOf(taskEndOffsets);
    }

    /** The same member with another id (a static member's replacement takes over its place). */
    StreamsMember withMemberId(String id) {
        return new StreamsMember(id, instanceId, rackId, clientId, clientHost, rebalanceTimeoutMs, topologyEpoch,
                processId, endpointHost, endpointPort, clientTags, taskOffsets, taskEndOffsets, shutdownRequested);
    }
}

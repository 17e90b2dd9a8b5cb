package io.millrace.coordinator.streams;

import java.util.List;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;

/**
 * A StreamsGroupHeartbeat's answer and the internal topics the broker should create for the
 * group (KIP-1071: the broker, not the client, creates repartition and changelog topics; the
 * member is told MISSING_INTERNAL_TOPICS meanwhile).
 */
public record StreamsHeartbeatOutcome(StreamsGroupHeartbeatResponseData response,
                                      List<ConfiguredTopology.TopicToCreate> topicsToCreate) {
    public StreamsHeartbeatOutcome {
        topicsToCreate = List.copyOf(topicsToCreate);
    }
}

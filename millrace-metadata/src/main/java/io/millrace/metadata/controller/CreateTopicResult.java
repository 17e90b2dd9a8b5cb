package io.millrace.metadata.controller;

import org.apache.kafka.common.Uuid;

/** The outcome of creating one topic. */
public record CreateTopicResult(String name, ApiError error, Uuid topicId, int numPartitions,
                                short replicationFactor) {
    public static CreateTopicResult failed(String name, ApiError error) {
        return new CreateTopicResult(name, error, Uuid.ZERO_UUID, -1, (short) -1);
    }
}

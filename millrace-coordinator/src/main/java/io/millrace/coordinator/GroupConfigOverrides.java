package io.millrace.coordinator;

import java.util.Map;

/**
 * Per-group config overrides set with IncrementalAlterConfigs on a GROUP resource
 * ({@code consumer.session.timeout.ms}, {@code consumer.heartbeat.interval.ms}), read from the
 * cluster metadata by the server. Thread-safe; each call reads the latest metadata.
 */
@FunctionalInterface
public interface GroupConfigOverrides {
    GroupConfigOverrides NONE = groupId -> Map.of();

    String CONSUMER_SESSION_TIMEOUT_MS = "consumer.session.timeout.ms";
    String CONSUMER_HEARTBEAT_INTERVAL_MS = "consumer.heartbeat.interval.ms";

    /** The overrides of {@code groupId}; empty when none are set. */
    Map<String, String> of(String groupId);
}

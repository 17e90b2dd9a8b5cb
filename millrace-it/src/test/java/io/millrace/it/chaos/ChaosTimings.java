package io.millrace.it.chaos;

import java.util.Map;

/**
 * The liveness timings both targets run with, from {@code -Dchaos.timings}: {@code fast} (the
 * default: heartbeats every 250 ms, a broker fenced after 2 s, a follower out of the ISR after
 * 2 s behind, as the other cluster tests use) or {@code defaults} (Kafka's defaults: 2 s, 9 s,
 * 30 s), set explicitly on both so Millrace and Kafka are compared like for like.
 */
final class ChaosTimings {
    private ChaosTimings() {
    }

    static String name() {
        return System.getProperty("chaos.timings", "fast");
    }

    static Map<String, String> properties() {
        return switch (name()) {
            case "fast" -> Map.of("broker.heartbeat.interval.ms", "250", "broker.session.timeout.ms", "2000",
                    "replica.lag.time.max.ms", "2000");
            case "defaults" -> Map.of("broker.heartbeat.interval.ms", "2000", "broker.session.timeout.ms", "9000",
                    "replica.lag.time.max.ms", "30000");
            default -> throw new IllegalArgumentException("chaos.timings is fast or defaults, not " + name());
        };
    }
}

package io.millrace.metadata.controller;

/**
 * The static settings of the active controller, from server.properties. Immutable.
 *
 * @param defaultPartitions              num.partitions: partitions of a topic created without a count
 * @param defaultReplicationFactor       default.replication.factor
 * @param brokerSessionTimeoutMs         broker.session.timeout.ms: an unfenced broker silent this long is fenced
 * @param uncleanLeaderElectionEnable    unclean.leader.election.enable, the static default; a topic override
 *                                       and then the dynamic cluster-wide default win over it
 * @param autoLeaderRebalanceEnable      auto.leader.rebalance.enable: periodically move leadership back to
 *                                       preferred replicas
 * @param leaderImbalanceCheckIntervalMs leader.imbalance.check.interval.seconds, in milliseconds
 */
public record ControllerSettings(int defaultPartitions, short defaultReplicationFactor, long brokerSessionTimeoutMs,
                                 boolean uncleanLeaderElectionEnable, boolean autoLeaderRebalanceEnable,
                                 long leaderImbalanceCheckIntervalMs) {

    public ControllerSettings {
        if (defaultPartitions <= 0 || defaultReplicationFactor <= 0) {
            throw new IllegalArgumentException("num.partitions and default.replication.factor must be positive");
        }
        if (brokerSessionTimeoutMs <= 0 || leaderImbalanceCheckIntervalMs <= 0) {
            throw new IllegalArgumentException(
                    "broker.session.timeout.ms and leader.imbalance.check.interval must be positive");
        }
    }

    /** Kafka's defaults: 1 partition, replication factor 1, 9 s sessions, no unclean election, rebalance every 5 min. */
    public static ControllerSettings defaults() {
        return new ControllerSettings(1, (short) 1, 9_000L, false, true, 300_000L);
    }
}

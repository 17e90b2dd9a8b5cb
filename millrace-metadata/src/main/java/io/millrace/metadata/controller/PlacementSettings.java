package io.millrace.metadata.controller;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the controller needs to place new partitions.
 *
 * @param liveBrokers             ids of brokers that may host replicas, now
 * @param defaultPartitions       num.partitions
 * @param defaultReplicationFactor default.replication.factor
 */
public record PlacementSettings(Supplier<List<Integer>> liveBrokers, int defaultPartitions,
                                short defaultReplicationFactor) {
}

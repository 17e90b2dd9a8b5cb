package io.millrace.bench.workload;

import java.util.Optional;

/**
 * Three nodes, replication factor 3, acks=all produce throughput, for both brokers.
 *
 * <p>TODO(cluster issue): Millrace cannot form a cluster yet. When it can: start three Kafka
 * nodes (one combined controller+broker with two brokers, or three combined nodes with a
 * three-voter quorum) and three Millrace nodes with the cluster issue's configuration, create a
 * 6-partition topic with replication factor 3 and min.insync.replicas=2, and run
 * {@link ProduceWorkload} with acks=all; add each node's CPU and RSS. Until then this returns
 * empty and the report prints "TODO".
 */
public final class ClusterWorkload {
    private ClusterWorkload() {
    }

    /** Records/s of the three-node acks=all produce, or empty while clusters are not built. */
    public static Optional<Throughput> threeNodeAcksAllProduce() {
        return Optional.empty();
    }
}

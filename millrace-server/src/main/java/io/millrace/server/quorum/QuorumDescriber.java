package io.millrace.server.quorum;

import io.millrace.common.Time;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Describes the metadata quorum ({@code __cluster_metadata-0}) for DescribeQuorum: its leader,
 * high watermark and how far each voter and observer has replicated. A clustered node implements
 * it over the quorum (answering with the leader's view, or failing with
 * {@link org.apache.kafka.common.errors.NotLeaderOrFollowerException} when it cannot reach it);
 * a single node uses {@link #singleNode}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface QuorumDescriber {

    /** The quorum's state as its leader sees it; may fail (NOT_LEADER_OR_FOLLOWER etc.). */
    CompletableFuture<QuorumState> describe();

    /**
     * A node that is its own quorum: it leads (epoch 1) and its log end and high watermark are
     * the metadata record count.
     */
    static QuorumDescriber singleNode(int nodeId, LongSupplier recordCount) {
        return singleNode(nodeId, recordCount, Time.SYSTEM);
    }

    static QuorumDescriber singleNode(int nodeId, LongSupplier recordCount, Time time) {
        return () -> {
            long end = recordCount.getAsLong();
            long now = time.milliseconds();
            ReplicaState self = new ReplicaState(nodeId, end, now, now);
            return CompletableFuture.completedFuture(new QuorumState(nodeId, 1, end, List.of(self), List.of()));
        };
    }
}

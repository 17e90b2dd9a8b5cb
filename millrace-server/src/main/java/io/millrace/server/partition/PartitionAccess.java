package io.millrace.server.partition;

import io.millrace.storage.AppendResult;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.FileReadResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to and reads from the partitions this broker leads: checks leadership, leader epochs
 * and min.insync.replicas, then calls the log. Thread-safe; used by the Produce, Fetch,
 * ListOffsets and DeleteRecords handlers.
 */
public final class PartitionAccess {
    private static final Logger log = LoggerFactory.getLogger(PartitionAccess.class);

    private final int nodeId;
    private final LocalPartitions partitions;

    public PartitionAccess(int nodeId, LocalPartitions partitions) {
        this.nodeId = nodeId;
        this.partitions = partitions;
    }

    public LocalPartitions partitions() {
        return partitions;
    }

    /** The partition if this broker leads it; otherwise the error to answer. */
    public Lookup leaderOf(TopicPartition tp, int currentLeaderEpoch) {
        Optional<Partition> found = partitions.get(tp);
        if (found.isEmpty()) {
            return new Lookup(null, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        Partition partition = found.get();
        if (partition.leader() != nodeId) {
            return new Lookup(partition, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != partition.leaderEpoch()) {
            return new Lookup(partition, currentLeaderEpoch > partition.leaderEpoch()
                    ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH);
        }
        return new Lookup(partition, Errors.NONE);
    }

    public AppendOutcome append(TopicPartition tp, ByteBuffer records, short acks) {
        Lookup lookup = leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return AppendOutcome.failed(lookup.error(), null);
        }
        Partition partition = lookup.partition();
        if (acks == -1 && partition.state().isr().size() < partition.minInsyncReplicas()) {
            return AppendOutcome.failed(Errors.NOT_ENOUGH_REPLICAS, "The size of the current ISR "
                    + partition.state().isr() + " is insufficient to satisfy the min.isr requirement of "
                    + partition.minInsyncReplicas() + " for partition " + tp);
        }
        PartitionLog partitionLog = partition.log();
        try {
            AppendResult result = partitionLog.appendAsLeader(records, partition.leaderEpoch());
            if (partition.state().isr().size() == 1) {
                partitionLog.updateHighWatermark(partitionLog.logEndOffset());
                partition.signalDataArrived();
            }
            return new AppendOutcome(Errors.NONE, null, result);
        } catch (ApiException e) {
            return AppendOutcome.failed(Errors.forException(e), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Append to {} failed unexpectedly", tp, e);
            return AppendOutcome.failed(Errors.KAFKA_STORAGE_ERROR, "Append failed: " + e);
        }
    }

    /**
     * Reads committed data (below the high watermark) from {@code offset}, left in its segment
     * file for a zero-copy send (see {@code PartitionLog.readFileRegion} for how long it stays valid).
     */
    public ReadOutcome read(TopicPartition tp, int currentLeaderEpoch, long offset, int maxBytes,
                            boolean minOneBatch) {
        Lookup lookup = leaderOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return new ReadOutcome(lookup.error(), null, -1, -1);
        }
        PartitionLog partitionLog = lookup.partition().log();
        try {
            FileReadResult result = partitionLog.readFileRegion(offset, maxBytes, partitionLog.highWatermark(),
                    minOneBatch);
            return new ReadOutcome(Errors.NONE, result, result.highWatermark(), result.logStartOffset());
        } catch (ApiException e) {
            return new ReadOutcome(Errors.forException(e), null, partitionLog.highWatermark(),
                    partitionLog.logStartOffset());
        }
    }

    /** A partition and whether this broker may serve it as leader. */
    public record Lookup(Partition partition, Errors error) {
    }
}

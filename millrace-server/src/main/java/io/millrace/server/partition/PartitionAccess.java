package io.millrace.server.partition;

import io.millrace.storage.AppendResult;
import io.millrace.storage.EpochEndOffset;
import io.millrace.storage.FileReadResult;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.RejectedRecordsException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to and reads from the partitions this broker leads: checks leadership, leader epochs
 * and min.insync.replicas, then calls the log; serves followers' fetches (recording their
 * progress, detecting diverged logs) and lets acks=all appends wait for the high watermark.
 * Thread-safe; used by the Produce, Fetch, ListOffsets, DeleteRecords and OffsetForLeaderEpoch
 * handlers and the coordinator's log.
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

    public int nodeId() {
        return nodeId;
    }

    /** The partition if this broker leads it; otherwise the error to answer. */
    public Lookup leaderOf(TopicPartition tp, int currentLeaderEpoch) {
        Optional<Partition> found = partitions.get(tp);
        if (found.isEmpty()) {
            return new Lookup(null, notHostedError(tp));
        }
        Partition partition = found.get();
        if (partition.leader() != nodeId) {
            return new Lookup(partition, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        return new Lookup(partition, epochError(partition, currentLeaderEpoch));
    }

    /** The partition if this broker hosts a replica of it (leader or follower), checking the epoch. */
    public Lookup replicaOf(TopicPartition tp, int currentLeaderEpoch) {
        Optional<Partition> found = partitions.get(tp);
        if (found.isEmpty()) {
            return new Lookup(null, notHostedError(tp));
        }
        return new Lookup(found.get(), epochError(found.get(), currentLeaderEpoch));
    }

    /** A partition this broker has no replica of: NOT_LEADER_OR_FOLLOWER if it exists elsewhere (as Kafka answers). */
    private Errors notHostedError(TopicPartition tp) {
        boolean exists = partitions.image().topic(tp.topic())
                .map(topic -> topic.partitions().containsKey(tp.partition())).orElse(false);
        return exists ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    private static Errors epochError(Partition partition, int currentLeaderEpoch) {
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != partition.leaderEpoch()) {
            return currentLeaderEpoch > partition.leaderEpoch()
                    ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH;
        }
        return Errors.NONE;
    }

    /**
     * Appends as leader and answers once the log has the records (acks=0/1 semantics; acks=-1 also
     * checks min.insync.replicas first). For acks=-1 wait with {@link #awaitCommitted} afterwards.
     */
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
            partition.onAppendedAsLeader();
            return new AppendOutcome(Errors.NONE, null, result);
        } catch (RejectedRecordsException e) {
            return new AppendOutcome(Errors.forException(e.partitionError()), e.partitionError().getMessage(), null,
                    e.recordErrors());
        } catch (ApiException e) {
            return AppendOutcome.failed(Errors.forException(e), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Append to {} failed unexpectedly", tp, e);
            return AppendOutcome.failed(Errors.KAFKA_STORAGE_ERROR, "Append failed: " + e);
        }
    }

    /**
     * Completes once the high watermark of {@code tp} passes {@code appended} (NONE, or
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR is then below min.insync.replicas), when this
     * broker stops leading it (NOT_LEADER_OR_FOLLOWER), or after {@code timeoutMs} (REQUEST_TIMED_OUT).
     * Never blocks.
     */
    public CompletableFuture<Errors> awaitCommitted(TopicPartition tp, AppendResult appended, long timeoutMs) {
        Optional<Partition> found = partitions.get(tp);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        long required = Math.max(appended.firstOffset(), appended.lastOffset()) + 1;
        return found.get().awaitHighWatermark(required, timeoutMs);
    }

    /**
     * Appends, and for acks=-1 completes once the append is committed (see {@link #awaitCommitted});
     * the outcome then carries the commit's error (with the append's result) when it failed.
     */
    public CompletableFuture<AppendOutcome> appendAndReplicate(TopicPartition tp, ByteBuffer records, short acks,
                                                               long timeoutMs) {
        AppendOutcome appended = append(tp, records, acks);
        if (acks != -1 || appended.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(appended);
        }
        return awaitCommitted(tp, appended.result(), timeoutMs).thenApply(error -> error == Errors.NONE ? appended
                : new AppendOutcome(error, commitMessage(tp, error), appended.result()));
    }

    private static String commitMessage(TopicPartition tp, Errors error) {
        return switch (error) {
            case REQUEST_TIMED_OUT -> "The records of " + tp + " were not replicated to the ISR in time";
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> "The ISR of " + tp
                    + " shrank below min.insync.replicas after the append";
            case NOT_LEADER_OR_FOLLOWER -> "This broker stopped leading " + tp + " before the records were committed";
            default -> null;
        };
    }

    /**
     * Reads committed data (below the high watermark) from {@code offset}, left in its segment
     * file for a zero-copy send (see {@code PartitionLog.readFileRegion} for how long it stays valid).
     */
    public ReadOutcome read(TopicPartition tp, int currentLeaderEpoch, long offset, int maxBytes,
                            boolean minOneBatch) {
        Lookup lookup = leaderOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return ReadOutcome.failed(lookup.error());
        }
        PartitionLog partitionLog = lookup.partition().log();
        return readUpTo(partitionLog, offset, maxBytes, partitionLog.highWatermark(), minOneBatch);
    }

    /**
     * Serves follower {@code replicaId}'s fetch from {@code fetchOffset}: when {@code lastFetchedEpoch}
     * (-1 = none) shows the follower's log diverged from this leader's, answers the diverging epoch
     * and no records (OFFSET_OUT_OF_RANGE when this log knows no epoch at or below it, or the offset
     * is below the log start); otherwise records the fetch (the follower's log end offset, caught-up time,
     * maybe a higher high watermark), then reads up to the log end offset.
     */
    public ReadOutcome readForFollower(TopicPartition tp, int replicaId, int currentLeaderEpoch, long fetchOffset,
                                       int lastFetchedEpoch, long followerLogStartOffset, int maxBytes,
                                       boolean minOneBatch) {
        Lookup lookup = leaderOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return ReadOutcome.failed(lookup.error());
        }
        Partition partition = lookup.partition();
        if (!partition.isFollowerReplica(replicaId)) {
            return ReadOutcome.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        PartitionLog partitionLog = partition.log();
        if (lastFetchedEpoch >= 0) {
            EpochEndOffset end = endOffsetForEpoch(partitionLog, lastFetchedEpoch);
            if (end != null && (end.equals(EpochEndOffset.UNDEFINED) || fetchOffset < partitionLog.logStartOffset())) {
                // No epoch at or below the follower's last one here, or it fetches below the log start:
                // the follower resets its log from this leader's offsets.
                return new ReadOutcome(Errors.OFFSET_OUT_OF_RANGE, null, partitionLog.highWatermark(),
                        partitionLog.logStartOffset(), null);
            }
            if (end != null && (end.epoch() < lastFetchedEpoch || end.endOffset() < fetchOffset)) {
                return new ReadOutcome(Errors.NONE, null, partitionLog.highWatermark(), partitionLog.logStartOffset(),
                        end);
            }
        }
        partition.recordFollowerFetch(replicaId, fetchOffset, followerLogStartOffset);
        return readUpTo(partitionLog, fetchOffset, maxBytes, partitionLog.logEndOffset(), minOneBatch);
    }

    private static EpochEndOffset endOffsetForEpoch(PartitionLog partitionLog, int epoch) {
        try {
            return partitionLog.endOffsetForEpoch(epoch);
        } catch (UnsupportedOperationException e) {
            return null; // no leader epoch cache in this build: no divergence detection
        }
    }

    private static ReadOutcome readUpTo(PartitionLog partitionLog, long offset, int maxBytes, long maxOffsetExclusive,
                                        boolean minOneBatch) {
        try {
            FileReadResult result = partitionLog.readFileRegion(offset, maxBytes, maxOffsetExclusive, minOneBatch);
            return new ReadOutcome(Errors.NONE, result, result.highWatermark(), result.logStartOffset(), null);
        } catch (ApiException e) {
            return new ReadOutcome(Errors.forException(e), null, partitionLog.highWatermark(),
                    partitionLog.logStartOffset(), null);
        }
    }

    /** A partition and whether this broker may serve it as leader. */
    public record Lookup(Partition partition, Errors error) {
    }
}

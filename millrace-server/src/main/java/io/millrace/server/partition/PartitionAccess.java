package io.millrace.server.partition;

import io.millrace.storage.AbortedTransaction;
import io.millrace.storage.ActiveProducer;
import io.millrace.storage.AppendOrigin;
import io.millrace.storage.AppendResult;
import io.millrace.storage.EpochEndOffset;
import io.millrace.storage.FileReadResult;
import io.millrace.storage.OffsetAndTimestamp;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.RejectedRecordsException;
import io.millrace.storage.VerificationGuard;
import io.millrace.wire.batch.TransactionMarker;
import java.nio.ByteBuffer;
import java.util.List;
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
 * The one way handlers reach a partition's log, so isolation levels apply in one place: a
 * read_committed read or ListOffsets stops at the last stable offset (LSO), read_uncommitted at
 * the high watermark, a follower at the log end. Transaction markers (WriteTxnMarkers) are
 * appended here too. Thread-safe; used by the Produce, Fetch, ListOffsets, DeleteRecords,
 * OffsetForLeaderEpoch and WriteTxnMarkers handlers and the coordinator's log.
 */
public final class PartitionAccess {
    private static final Logger log = LoggerFactory.getLogger(PartitionAccess.class);

    /** ListOffsets timestamps with a meaning of their own (KIP-734, KIP-405, KIP-1023). */
    public static final long LATEST = -1L;
    public static final long EARLIEST = -2L;
    public static final long MAX_TIMESTAMP = -3L;
    public static final long EARLIEST_LOCAL = -4L;
    public static final long LATEST_TIERED = -5L;
    public static final long EARLIEST_PENDING_UPLOAD = -6L;
    /** DeleteRecords: up to the high watermark. */
    public static final long TO_HIGH_WATERMARK = -1L;

    private final int nodeId;
    private final LocalPartitions partitions;
    /** Bytes and records in and out per topic (metrics); set once at start-up. */
    private volatile TopicThroughput throughput = TopicThroughput.NONE;

    public PartitionAccess(int nodeId, LocalPartitions partitions) {
        this.nodeId = nodeId;
        this.partitions = partitions;
    }

    /** Where appends and consumer reads are counted (per partition per request, never per record). */
    public void recordThroughput(TopicThroughput topicThroughput) {
        this.throughput = topicThroughput;
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
        return append(tp, records, acks, AppendOrigin.CLIENT);
    }

    /**
     * As {@link #append(TopicPartition, ByteBuffer, short)}, from {@code origin}: a coordinator
     * writing a transactional producer's offsets ({@link AppendOrigin#COORDINATOR}) carries no
     * producer sequence.
     */
    public AppendOutcome append(TopicPartition tp, ByteBuffer records, short acks, AppendOrigin origin) {
        return append(tp, records, acks, origin, VerificationGuard.UNCHECKED);
    }

    /**
     * As above, held to a transaction verification ({@link VerificationGuard}): a batch that would
     * begin its producer's transaction is refused with INVALID_TXN_STATE unless {@code guard} is
     * still current.
     */
    public AppendOutcome append(TopicPartition tp, ByteBuffer records, short acks, AppendOrigin origin,
                                VerificationGuard guard) {
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
        int bytes = records.remaining();
        try {
            AppendResult result = partitionLog.appendAsLeader(records, partition.leaderEpoch(), origin, guard);
            partition.onAppendedAsLeader();
            if (!result.duplicate()) {
                throughput.in(tp.topic(), bytes, result.recordCount());
            }
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
        return appendAndReplicate(tp, records, acks, timeoutMs, VerificationGuard.UNCHECKED);
    }

    /** As above, held to a transaction verification (see {@link #append(TopicPartition, ByteBuffer, short, AppendOrigin, VerificationGuard)}). */
    public CompletableFuture<AppendOutcome> appendAndReplicate(TopicPartition tp, ByteBuffer records, short acks,
                                                               long timeoutMs, VerificationGuard guard) {
        AppendOutcome appended = append(tp, records, acks, AppendOrigin.CLIENT, guard);
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
     * Appends a COMMIT or ABORT marker for {@code producerId} at {@code producerEpoch} to a
     * partition this broker leads (WriteTxnMarkers); as an acks=all append it needs the ISR at
     * min.insync.replicas, and the caller waits with {@link #awaitCommitted} for it to be replicated.
     */
    public AppendOutcome appendTransactionMarker(TopicPartition tp, long producerId, short producerEpoch,
                                                 TransactionMarker marker) {
        Lookup lookup = leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return AppendOutcome.failed(lookup.error(), null);
        }
        Partition partition = lookup.partition();
        if (partition.state().isr().size() < partition.minInsyncReplicas()) {
            return AppendOutcome.failed(Errors.NOT_ENOUGH_REPLICAS, "The ISR " + partition.state().isr() + " of " + tp
                    + " is below min.insync.replicas " + partition.minInsyncReplicas());
        }
        try {
            AppendResult result = partition.log().appendTransactionMarker(producerId, producerEpoch, marker,
                    partition.leaderEpoch());
            partition.onAppendedAsLeader();
            return new AppendOutcome(Errors.NONE, null, result);
        } catch (ApiException e) {
            return AppendOutcome.failed(Errors.forException(e), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Appending a transaction marker to {} failed unexpectedly", tp, e);
            return AppendOutcome.failed(Errors.KAFKA_STORAGE_ERROR, "Append failed: " + e);
        }
    }

    /**
     * Reads what a consumer may see from {@code offset}: below the high watermark
     * (read_uncommitted) or below the last stable offset with the aborted transactions overlapping
     * the records returned (read_committed). The records stay in their segment file for a
     * zero-copy send (see {@code PartitionLog.readFileRegion} for how long they stay valid).
     */
    public ReadOutcome read(TopicPartition tp, int currentLeaderEpoch, long offset, int maxBytes,
                            boolean minOneBatch, boolean readCommitted) {
        Lookup lookup = leaderOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return ReadOutcome.failed(lookup.error());
        }
        PartitionLog partitionLog = lookup.partition().log();
        long lastStableOffset = partitionLog.lastStableOffset();
        if (!readCommitted) {
            return countedOut(tp, readUpTo(partitionLog, offset, maxBytes, partitionLog.highWatermark(), minOneBatch));
        }
        ReadOutcome read = countedOut(tp, readUpTo(partitionLog, offset, maxBytes, lastStableOffset, minOneBatch));
        if (read.error() != Errors.NONE || read.result() == null || read.result().sizeInBytes() == 0) {
            return read;
        }
        List<AbortedTransaction> aborted = partitionLog.abortedTransactions(offset, lastStableOffset);
        return new ReadOutcome(read.error(), read.result(), read.highWatermark(), read.lastStableOffset(),
                read.logStartOffset(), aborted, null);
    }

    /**
     * ListOffsets for one partition this broker leads: {@link #LATEST} (the log end for a
     * follower, the LSO for read_committed, else the high watermark), {@link #EARLIEST} and
     * {@link #EARLIEST_LOCAL} (the log start), {@link #MAX_TIMESTAMP}, the tiered-storage specs
     * (no offset: there is no tiered storage), or the first offset at or after a timestamp; a
     * found offset must be one a consumer of that isolation level may read.
     */
    public ListedOffset listOffset(TopicPartition tp, int currentLeaderEpoch, long timestamp, boolean readCommitted,
                                   boolean fromReplica) {
        Lookup lookup = leaderOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return ListedOffset.failed(lookup.error());
        }
        PartitionLog partitionLog = lookup.partition().log();
        int epoch = lookup.partition().leaderEpoch();
        long readable = fromReplica ? partitionLog.logEndOffset()
                : readCommitted ? partitionLog.lastStableOffset() : partitionLog.highWatermark();
        if (timestamp == LATEST) {
            return new ListedOffset(Errors.NONE, readable, -1, epoch);
        }
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            return new ListedOffset(Errors.NONE, partitionLog.logStartOffset(), -1, epoch);
        }
        if (timestamp == LATEST_TIERED || timestamp == EARLIEST_PENDING_UPLOAD) {
            return ListedOffset.NONE;
        }
        if (timestamp < 0 && timestamp != MAX_TIMESTAMP) {
            return ListedOffset.failed(Errors.INVALID_REQUEST);
        }
        try {
            Optional<OffsetAndTimestamp> found = timestamp == MAX_TIMESTAMP ? partitionLog.maxTimestamp()
                    : partitionLog.offsetForTimestamp(timestamp);
            long bound = fromReplica ? partitionLog.highWatermark() : readable;
            return found.filter(f -> f.offset() < bound)
                    .map(f -> new ListedOffset(Errors.NONE, f.offset(), f.timestamp(),
                            f.leaderEpoch() >= 0 ? f.leaderEpoch() : epoch))
                    .orElse(ListedOffset.NONE);
        } catch (ApiException e) {
            return ListedOffset.failed(Errors.forException(e));
        }
    }

    /**
     * DeleteRecords for one partition this broker leads: moves its log start offset to
     * {@code offset} ({@link #TO_HIGH_WATERMARK}: the high watermark); answers the new log start
     * (the low watermark), or OFFSET_OUT_OF_RANGE for an offset above the high watermark.
     */
    public DeletedRecords deleteRecordsBefore(TopicPartition tp, long offset) {
        Lookup lookup = leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return new DeletedRecords(lookup.error(), -1);
        }
        PartitionLog partitionLog = lookup.partition().log();
        long target = offset == TO_HIGH_WATERMARK ? partitionLog.highWatermark() : offset;
        if (target < 0 || target > partitionLog.highWatermark()) {
            return new DeletedRecords(Errors.OFFSET_OUT_OF_RANGE, -1);
        }
        try {
            return new DeletedRecords(Errors.NONE, partitionLog.deleteRecordsBefore(target));
        } catch (ApiException e) {
            return new DeletedRecords(Errors.forException(e), -1);
        }
    }

    /**
     * OffsetForLeaderEpoch for one partition: where {@code epoch} ends in the log of this leader
     * (or, unless {@code leaderOnly}, of any replica here); see {@code PartitionLog.endOffsetForEpoch}.
     */
    public EpochLookup endOffsetForEpoch(TopicPartition tp, int currentLeaderEpoch, int epoch, boolean leaderOnly) {
        Lookup lookup = leaderOnly ? leaderOf(tp, currentLeaderEpoch) : replicaOf(tp, currentLeaderEpoch);
        if (lookup.error() != Errors.NONE) {
            return new EpochLookup(lookup.error(), EpochEndOffset.UNDEFINED);
        }
        try {
            return new EpochLookup(Errors.NONE, lookup.partition().log().endOffsetForEpoch(epoch));
        } catch (ApiException e) {
            return new EpochLookup(Errors.forException(e), EpochEndOffset.UNDEFINED);
        }
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
                        partitionLog.lastStableOffset(), partitionLog.logStartOffset(), null, null);
            }
            if (end != null && (end.epoch() < lastFetchedEpoch || end.endOffset() < fetchOffset)) {
                return new ReadOutcome(Errors.NONE, null, partitionLog.highWatermark(),
                        partitionLog.lastStableOffset(), partitionLog.logStartOffset(), null, end);
            }
        }
        partition.recordFollowerFetch(replicaId, fetchOffset, followerLogStartOffset);
        return readUpTo(partitionLog, fetchOffset, maxBytes, partitionLog.logEndOffset(), minOneBatch);
    }

    private ReadOutcome countedOut(TopicPartition tp, ReadOutcome read) {
        if (read.result() != null && read.result().sizeInBytes() > 0) {
            throughput.out(tp.topic(), read.result().sizeInBytes());
        }
        return read;
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
        long lastStableOffset = partitionLog.lastStableOffset();
        try {
            FileReadResult result = partitionLog.readFileRegion(offset, maxBytes, maxOffsetExclusive, minOneBatch);
            return new ReadOutcome(Errors.NONE, result, result.highWatermark(), lastStableOffset,
                    result.logStartOffset(), null, null);
        } catch (ApiException e) {
            return new ReadOutcome(Errors.forException(e), null, partitionLog.highWatermark(), lastStableOffset,
                    partitionLog.logStartOffset(), null, null);
        }
    }

    /** A partition and whether this broker may serve it as leader. */
    public record Lookup(Partition partition, Errors error) {
    }

    /**
     * The producers a partition this broker leads keeps state for (DescribeProducers);
     * NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION otherwise, as Kafka answers.
     */
    public ActiveProducers activeProducers(TopicPartition tp) {
        Lookup lookup = leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return new ActiveProducers(lookup.error(), List.of());
        }
        try {
            return new ActiveProducers(Errors.NONE, lookup.partition().log().activeProducers());
        } catch (ApiException e) {
            return new ActiveProducers(Errors.forException(e), List.of());
        }
    }

    /**
     * Starts a verification of the producer's next transactional write to {@code tp}, which this
     * broker leads ({@link PartitionLog#startTransactionVerification}): {@link VerificationGuard#NONE}
     * when its transaction is open there already, else the guard its append must carry; empty
     * when this broker does not lead it (the append then fails on its own).
     */
    public Optional<VerificationGuard> startTransactionVerification(TopicPartition tp, long producerId,
                                                                    short producerEpoch, boolean epochBumps) {
        Lookup lookup = leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return Optional.empty();
        }
        try {
            return Optional.of(lookup.partition().log().startTransactionVerification(producerId, producerEpoch,
                    epochBumps));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /**
     * The log start and end offsets of this broker's own replica of {@code tp}, whether it leads
     * it or not; empty without a local replica. A coordinator loading its partition as the new
     * leader replays that whole range, as Kafka's loader reads to the log end.
     */
    public Optional<LocalRange> localRange(TopicPartition tp) {
        return partitions.get(tp).map(Partition::log)
                .map(partitionLog -> new LocalRange(partitionLog.logStartOffset(), partitionLog.logEndOffset()));
    }

    /**
     * Whole batches of this broker's own replica of {@code tp} from {@code offset} (at least one,
     * up to {@code maxBytes}), none starting at or above {@code maxOffsetExclusive}; an empty
     * buffer once the replica is gone. For a coordinator's load, which reads what it replicated
     * beyond the high watermark too (see {@link #localRange}).
     */
    public ByteBuffer readLocal(TopicPartition tp, long offset, int maxBytes, long maxOffsetExclusive) {
        Optional<Partition> partition = partitions.get(tp);
        if (partition.isEmpty()) {
            return ByteBuffer.allocate(0);
        }
        return partition.get().log().read(offset, maxBytes, maxOffsetExclusive, true).records();
    }

    /** The offsets a local replica holds: {@code [startOffset, endOffset)}. */
    public record LocalRange(long startOffset, long endOffset) {
    }

    /** What DescribeProducers answers for one partition: an error, or its producers. */
    public record ActiveProducers(Errors error, List<ActiveProducer> producers) {
    }

    /** What DeleteRecords answers for one partition: an error, or the new log start offset. */
    public record DeletedRecords(Errors error, long lowWatermark) {
    }

    /** What OffsetForLeaderEpoch answers for one partition. */
    public record EpochLookup(Errors error, EpochEndOffset end) {
    }
}

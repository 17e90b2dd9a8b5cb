package io.millrace.server.partition;

import io.millrace.common.Time;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.storage.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition hosted on this broker: its log, the replica state the metadata gives it and, while
 * this broker leads it, what the leader knows of its followers (their fetch progress), from which
 * it moves the high watermark.
 *
 * <p>Thread-safety: the metadata state is swapped whole (volatile) by the metadata thread; appends
 * and reads go to the thread-safe log; follower progress, the leader epoch's start offset and the
 * in-flight ISR change are guarded by one leader lock. Waiters use three wake-ups:
 * {@link #dataArrived()} (the high watermark advanced: consumer fetches), {@link #appended()}
 * (records were appended as leader: replica fetches) and commit waiters (acks=all appends).
 */
public final class Partition {
    private static final Logger logger = LoggerFactory.getLogger(Partition.class);

    private final int localBrokerId;
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final Time time;
    private final Consumer<Partition> followerMayJoinIsr;
    private volatile PartitionRecord state;
    private volatile int minInsyncReplicas;
    private final Signal highWatermarkAdvanced = new Signal();
    private final Signal appended = new Signal();
    private final CommitWaiters commitWaiters = new CommitWaiters();

    private final Object leaderLock = new Object();
    private final ReplicaProgress followers = new ReplicaProgress(); // guarded by leaderLock
    private long leaderEpochStartOffset = -1L; // guarded by leaderLock
    private List<Integer> pendingIsr; // guarded by leaderLock: the ISR of an AlterPartition in flight

    Partition(int localBrokerId, TopicPartition topicPartition, Uuid topicId, PartitionLog log, PartitionRecord state,
              int minInsyncReplicas, Time time, Consumer<Partition> followerMayJoinIsr) {
        this.localBrokerId = localBrokerId;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.state = state;
        this.minInsyncReplicas = minInsyncReplicas;
        this.time = time;
        this.followerMayJoinIsr = followerMayJoinIsr;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    public PartitionRecord state() {
        return state;
    }

    public int leaderEpoch() {
        return state.leaderEpoch();
    }

    public int leader() {
        return state.leader();
    }

    public boolean isLeader() {
        return state.leader() == localBrokerId;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** acks=all appends waiting for the high watermark (metrics: Kafka's Produce purgatory size). */
    public int waitingCommits() {
        return commitWaiters.size();
    }

    /** Fetches waiting for data on this partition (metrics: Kafka's Fetch purgatory size, which counts per partition too). */
    public int waitingFetches() {
        return highWatermarkAdvanced.waiters() + appended.waiters();
    }

    /** Completes when the high watermark next advances (or the partition's role changes). */
    public CompletableFuture<Void> dataArrived() {
        return highWatermarkAdvanced.next();
    }

    /** Completes when records are next appended as leader (or the high watermark advances, or the role changes). */
    public CompletableFuture<Void> appended() {
        return appended.next();
    }

    /** Wakes every fetch waiting on this partition. */
    void signalDataArrived() {
        highWatermarkAdvanced.fire();
        appended.fire();
    }

    void updateState(PartitionRecord newState, int newMinInsyncReplicas) {
        this.state = newState;
        this.minInsyncReplicas = newMinInsyncReplicas;
    }

    // ---- role changes (metadata thread) ----

    /**
     * This broker now leads the partition at the current state's epoch: the epoch starts at the log
     * end offset; a new leader forgets what it knew of followers (ISR members count as caught up now).
     */
    void becomeLeader(boolean wasLeader) {
        PartitionRecord current = state;
        long logEnd = log.logEndOffset();
        try {
            log.assignEpochStartOffset(current.leaderEpoch(), logEnd);
        } catch (UnsupportedOperationException e) {
            logger.debug("No leader epoch cache in this build: epoch {} of {} not recorded", current.leaderEpoch(),
                    topicPartition);
        } catch (org.apache.kafka.common.errors.KafkaStorageException e) {
            // the log already said why (once); the epoch is recorded by the first append of it that
            // the disk takes, and until then appends fail with KAFKA_STORAGE_ERROR. The leadership
            // itself must still move here, or the partition never serves again once space returns.
            logger.debug("Epoch {} of {} not recorded yet: {}", current.leaderEpoch(), topicPartition, e.getMessage());
        }
        synchronized (leaderLock) {
            leaderEpochStartOffset = logEnd;
            pendingIsr = null;
            List<Integer> followerIds = followerIds(current);
            if (wasLeader) {
                followers.retain(followerIds);
            } else {
                followers.reset(followerIds, current.isr(), time.milliseconds());
            }
        }
        maybeAdvanceHighWatermark();
        signalDataArrived();
    }

    /** The leader's state changed without a new epoch (ISR, replicas): forget stale followers, recompute the high watermark. */
    void leaderStateChanged(PartitionRecord previous) {
        PartitionRecord current = state;
        synchronized (leaderLock) {
            followers.retain(followerIds(current));
            if (previous.partitionEpoch() != current.partitionEpoch()) {
                pendingIsr = null;
            }
        }
        maybeAdvanceHighWatermark();
    }

    /** This broker no longer leads: waiting acks=all appends fail, waiting fetches wake up and see the new role. */
    void resign() {
        synchronized (leaderLock) {
            pendingIsr = null;
            leaderEpochStartOffset = -1L;
        }
        commitWaiters.failAll(Errors.NOT_LEADER_OR_FOLLOWER);
        signalDataArrived();
    }

    // ---- leader: appends, follower fetches, high watermark ----

    /** Called after records were appended as leader: wakes replica fetches, maybe moves the high watermark. */
    void onAppendedAsLeader() {
        appended.fire();
        maybeAdvanceHighWatermark();
    }

    /** Whether {@code replicaId} is a replica of this partition other than this broker. */
    public boolean isFollowerReplica(int replicaId) {
        return replicaId != localBrokerId && state.replicas().contains(replicaId);
    }

    /**
     * Records that follower {@code replicaId} fetches from {@code fetchOffset} (its log end offset):
     * updates its caught-up time and may advance the high watermark. A fetch offset outside the
     * leader's log is not recorded (it is answered OFFSET_OUT_OF_RANGE). Returns false when
     * {@code replicaId} is not a follower of this partition.
     */
    boolean recordFollowerFetch(int replicaId, long fetchOffset, long followerLogStartOffset) {
        if (!isFollowerReplica(replicaId)) {
            return false;
        }
        boolean mayJoinIsr;
        synchronized (leaderLock) {
            long logEnd = log.logEndOffset();
            if (fetchOffset < log.logStartOffset() || fetchOffset > logEnd) {
                return true;
            }
            followers.recordFetch(replicaId, fetchOffset, followerLogStartOffset, logEnd, time.milliseconds());
            mayJoinIsr = pendingIsr == null && !state.isr().contains(replicaId)
                    && fetchOffset >= log.highWatermark() && fetchOffset >= leaderEpochStartOffset;
        }
        maybeAdvanceHighWatermark();
        if (mayJoinIsr) {
            followerMayJoinIsr.accept(this);
        }
        return true;
    }

    /**
     * Moves the high watermark to the least log end offset of the (maximal) ISR, if that is
     * higher; wakes consumer fetches and commits acks=all appends when it moves.
     */
    boolean maybeAdvanceHighWatermark() {
        long advancedTo;
        synchronized (leaderLock) {
            PartitionRecord current = state;
            if (current.leader() != localBrokerId) {
                return false;
            }
            long candidate = followers.highWatermarkCandidate(localBrokerId, log.logEndOffset(), maximalIsr(current));
            if (candidate <= log.highWatermark()) {
                return false;
            }
            log.updateHighWatermark(candidate);
            advancedTo = log.highWatermark();
        }
        highWatermarkAdvanced.fire();
        appended.fire(); // replica fetches carry the new high watermark to followers
        commitWaiters.completeUpTo(advancedTo, this::errorOnceCommitted);
        return true;
    }

    /**
     * Completes when the high watermark reaches {@code requiredOffset} (NONE, or
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR is then below min.insync.replicas), when
     * leadership is lost (NOT_LEADER_OR_FOLLOWER) or after {@code timeoutMs} (REQUEST_TIMED_OUT).
     */
    public CompletableFuture<Errors> awaitHighWatermark(long requiredOffset, long timeoutMs) {
        if (!isLeader()) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (log.highWatermark() >= requiredOffset) {
            // Already committed (a single in-sync replica moves it on append): no waiter, no timer.
            return CompletableFuture.completedFuture(errorOnceCommitted());
        }
        CompletableFuture<Errors> done = commitWaiters.register(requiredOffset);
        done.completeOnTimeout(Errors.REQUEST_TIMED_OUT, Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        if (!isLeader()) { // resigned while registering
            done.complete(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        commitWaiters.completeUpTo(log.highWatermark(), this::errorOnceCommitted);
        return done;
    }

    private Errors errorOnceCommitted() {
        return state.isr().size() < minInsyncReplicas ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND : Errors.NONE;
    }

    // ---- ISR maintenance ----

    /** What the ISR maintainer decides from; null when this broker does not lead the partition. */
    LeaderView leaderView() {
        synchronized (leaderLock) {
            PartitionRecord current = state;
            if (current.leader() != localBrokerId) {
                return null;
            }
            return new LeaderView(current, log.highWatermark(), log.logEndOffset(), leaderEpochStartOffset,
                    followers.snapshot(), pendingIsr != null);
        }
    }

    /**
     * Marks an ISR change to {@code newIsr}, computed from the state at {@code partitionEpoch}, as
     * in flight. False when another is in flight or the state moved on.
     */
    boolean beginIsrChange(int leaderEpoch, int partitionEpoch, List<Integer> newIsr) {
        synchronized (leaderLock) {
            PartitionRecord current = state;
            if (pendingIsr != null || current.leader() != localBrokerId || current.leaderEpoch() != leaderEpoch
                    || current.partitionEpoch() != partitionEpoch) {
                return false;
            }
            pendingIsr = List.copyOf(newIsr);
            return true;
        }
    }

    /**
     * The controller answered the in-flight change to {@code newIsr}: on failure it is dropped
     * (retried later); on success it stays until the metadata reaches {@code committedPartitionEpoch}.
     */
    void endIsrChange(List<Integer> newIsr, boolean failed, int committedPartitionEpoch) {
        synchronized (leaderLock) {
            if (pendingIsr == null || !pendingIsr.equals(newIsr)) {
                return;
            }
            if (failed || state.partitionEpoch() >= committedPartitionEpoch) {
                pendingIsr = null;
            }
        }
        if (failed) {
            maybeAdvanceHighWatermark();
        }
    }

    /** The ISR plus the members an in-flight expansion adds: the high watermark waits for all of them. */
    private List<Integer> maximalIsr(PartitionRecord current) {
        if (pendingIsr == null) {
            return current.isr();
        }
        List<Integer> union = new ArrayList<>(current.isr());
        for (int id : pendingIsr) {
            if (!union.contains(id)) {
                union.add(id);
            }
        }
        return union;
    }

    private List<Integer> followerIds(PartitionRecord current) {
        List<Integer> ids = new ArrayList<>(current.replicas().size());
        for (int id : current.replicas()) {
            if (id != localBrokerId) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Override
    public String toString() {
        return topicPartition + "(" + state + ")";
    }
}

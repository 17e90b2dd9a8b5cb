package io.millrace.server.share;

import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition state of one share group on one partition this broker leads (KIP-932): the
 * share-partition start offset (every offset below it is acknowledged or archived), the end offset
 * (the next offset never delivered), and between them each in-flight offset's state (available,
 * acquired by a member until its lock deadline, acknowledged, archived) and delivery count.
 *
 * <p>An offset between the two with no entry holds no deliverable record (a control batch, a
 * batch of an aborted transaction, an offset compaction removed): it counts as archived. Locks
 * expire lazily, at the start of every operation, so no timer thread is needed; an acquired record
 * whose lock has passed is available again (archived once delivered {@code deliveryCountLimit}
 * times). At most {@code maxInFlight} offsets are in flight: new records are acquired only while
 * {@code endOffset - startOffset} is below it ({@code group.share.partition.max.record.locks}).
 *
 * <p>With a dead-letter topic for the group ({@link #deadLetterWhen}), a rejected record and one
 * past the delivery count limit are ARCHIVING rather than archived (KIP-1191): the start offset
 * stops at them until {@link #archiveDeadLetter} says their copy is written, and
 * {@link #takeDeadLetters} hands them to the writer.
 *
 * <p>Thread-safe: every method holds the instance's lock (a few microseconds per call; one share
 * partition is touched by the connections of its group's members only).
 */
final class SharePartition {
    /** Acknowledgement types of ShareFetch/ShareAcknowledge (KIP-932; RENEW from v2, KIP-1222). */
    static final byte GAP = 0;
    static final byte ACCEPT = 1;
    static final byte RELEASE = 2;
    static final byte REJECT = 3;
    static final byte RENEW = 4;

    /** The state of one in-flight offset. */
    enum State { AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVING, ARCHIVED }

    /** A range of acquired offsets with one delivery count, as ShareFetch's AcquiredRecords. */
    record AcquiredRange(long firstOffset, long lastOffset, short deliveryCount) {
    }

    /** One record batch of a read, by its offsets; control and aborted batches are not deliverable. */
    record Batch(long baseOffset, long lastOffset, boolean deliverable) {
    }

    /**
     * What {@link #acquire} took: the ranges, and how many of the offered batches, from the first,
     * the response must carry so that every acquired offset is in them.
     */
    record Acquisition(List<AcquiredRange> ranges, int batchesUsed) {
    }

    private static final class Slot {
        State state = State.ACQUIRED;
        short deliveryCount;
        String memberId;
        long lockDeadlineMs;
    }

    private final int leaderEpoch;
    private final int deliveryCountLimit;
    private final int maxInFlight;
    private final TreeMap<Long, Slot> inFlight = new TreeMap<>();
    private long startOffset;
    private long endOffset;
    /** Set once {@link SharePartitions#refresh} dropped this state: it acquires nothing more. */
    private boolean retired;
    /** The share coordinator's state epoch this state was read at (0 for a state this leader began). */
    private int stateEpoch;
    /** Whether a lock expired (or a closed session released records) since {@link #takeUnwrittenRelease}. */
    private boolean unwrittenRelease;
    /** Whether the group has a dead-letter topic now (it is a group config, so it may change). */
    private BooleanSupplier deadLettering = () -> false;
    /** Archiving ranges not yet handed to the dead-letter writer, in offset order. */
    private final List<DeadLetter> pendingDeadLetters = new ArrayList<>();
    /** Whether a lock-expiry check is scheduled ({@link SharePartitions}' timer); one at a time. */
    private boolean expiryCheckScheduled;

    /**
     * @param startOffset the first offset to deliver (from {@code share.auto.offset.reset}, or the state read back)
     * @param leaderEpoch the partition's leader epoch this state belongs to
     */
    SharePartition(long startOffset, int leaderEpoch, int deliveryCountLimit, int maxInFlight) {
        this.startOffset = startOffset;
        this.endOffset = startOffset;
        this.leaderEpoch = leaderEpoch;
        this.deliveryCountLimit = deliveryCountLimit;
        this.maxInFlight = maxInFlight;
    }

    /**
     * The state read back from the share coordinator: its start offset, and its in-flight batches,
     * where what was acquired is available again (its holder's lock died with the old leader).
     */
    static SharePartition restored(ShareSnapshot snapshot, int leaderEpoch, int deliveryCountLimit, int maxInFlight) {
        SharePartition partition = new SharePartition(snapshot.startOffset(), leaderEpoch, deliveryCountLimit,
                maxInFlight);
        partition.stateEpoch = snapshot.stateEpoch();
        for (ShareStateBatch batch : snapshot.batches()) {
            for (long offset = Math.max(batch.firstOffset(), snapshot.startOffset()); offset <= batch.lastOffset();
                 offset++) {
                Slot slot = new Slot();
                slot.deliveryCount = batch.deliveryCount();
                slot.state = switch (batch.state()) {
                    case ShareStateBatch.ACKNOWLEDGED -> State.ACKNOWLEDGED;
                    case ShareStateBatch.ARCHIVED -> State.ARCHIVED;
                    case ShareStateBatch.ARCHIVING -> {
                        partition.addDeadLetter(offset, batch.deliveryCount(), batch.deliveryCount() < deliveryCountLimit);
                        yield State.ARCHIVING;
                    }
                    default -> batch.deliveryCount() >= deliveryCountLimit ? State.ARCHIVED : State.AVAILABLE;
                };
                partition.inFlight.put(offset, slot);
                partition.endOffset = Math.max(partition.endOffset, offset + 1);
            }
        }
        partition.advanceStart();
        return partition;
    }

    /**
     * What the share coordinator keeps: the start offset and the in-flight offsets as ranges of one
     * state and delivery count (an offset between them without a record is written as archived).
     */
    synchronized ShareSnapshot snapshot() {
        List<ShareStateBatch> batches = new ArrayList<>();
        long first = -1;
        long last = -1;
        byte runState = 0;
        short runCount = 0;
        for (Map.Entry<Long, Slot> e : inFlight.entrySet()) {
            long offset = e.getKey();
            byte state = wireState(e.getValue().state);
            short count = e.getValue().deliveryCount;
            if (first >= 0 && offset == last + 1 && state == runState && count == runCount) {
                last = offset;
                continue;
            }
            if (first >= 0) {
                batches.add(new ShareStateBatch(first, last, runState, runCount));
            }
            first = offset;
            last = offset;
            runState = state;
            runCount = count;
        }
        if (first >= 0) {
            batches.add(new ShareStateBatch(first, last, runState, runCount));
        }
        return new ShareSnapshot(stateEpoch, leaderEpoch, startOffset, batches);
    }

    private static byte wireState(State state) {
        return switch (state) {
            case AVAILABLE -> ShareStateBatch.AVAILABLE;
            case ACQUIRED -> ShareStateBatch.ACQUIRED;
            case ACKNOWLEDGED -> ShareStateBatch.ACKNOWLEDGED;
            case ARCHIVING -> ShareStateBatch.ARCHIVING;
            case ARCHIVED -> ShareStateBatch.ARCHIVED;
        };
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    synchronized long startOffset() {
        return startOffset;
    }

    synchronized long endOffset() {
        return endOffset;
    }

    /** The state of {@code offset} (tests); null when it has no entry. */
    synchronized State state(long offset, long nowMs) {
        expireLocks(nowMs);
        Slot slot = inFlight.get(offset);
        return slot == null ? null : slot.state;
    }

    /** The delivery count of {@code offset} (tests); 0 when it has no entry. */
    synchronized int deliveryCount(long offset) {
        Slot slot = inFlight.get(offset);
        return slot == null ? 0 : slot.deliveryCount;
    }

    /**
     * Where a read for acquisition starts: the first available in-flight offset, else the end
     * offset; -1 when nothing can be acquired (nothing available and the in-flight window is full).
     */
    synchronized long nextFetchOffset(long nowMs) {
        expireLocks(nowMs);
        for (Map.Entry<Long, Slot> e : inFlight.entrySet()) {
            if (e.getValue().state == State.AVAILABLE) {
                return e.getKey();
            }
        }
        return endOffset - startOffset < maxInFlight ? endOffset : -1;
    }

    /** The log lost records below {@code logStartOffset} (retention, DeleteRecords): they are no longer in flight. */
    synchronized void moveStartTo(long logStartOffset) {
        if (logStartOffset <= startOffset) {
            return;
        }
        inFlight.headMap(logStartOffset).clear();
        startOffset = logStartOffset;
        endOffset = Math.max(endOffset, startOffset);
        advanceStart();
    }

    /**
     * Acquires for {@code memberId} the available and the never delivered offsets of
     * {@code batches} (read from the log in order), until {@code maxRecords} are taken: with
     * {@code strictLimit} exactly, else in whole batches (the last batch may overshoot, as
     * Kafka's batch-optimized mode does).
     */
    synchronized Acquisition acquire(String memberId, List<Batch> batches, int maxRecords, boolean strictLimit,
                                     long nowMs, long lockDurationMs) {
        expireLocks(nowMs);
        List<AcquiredRange> ranges = new ArrayList<>();
        if (retired) {
            return new Acquisition(ranges, 0);
        }
        int taken = 0;
        int lastUsed = -1;
        long deadline = nowMs + lockDurationMs;
        for (int i = 0; i < batches.size() && taken < maxRecords; i++) {
            Batch batch = batches.get(i);
            boolean windowFull = endOffset - startOffset >= maxInFlight;
            if (windowFull && batch.lastOffset() >= endOffset && !hasAvailableIn(batch)) {
                break;
            }
            int before = taken;
            for (long offset = Math.max(batch.baseOffset(), startOffset); offset <= batch.lastOffset(); offset++) {
                if (strictLimit && taken >= maxRecords) {
                    break;
                }
                if (offset < endOffset) {
                    Slot slot = inFlight.get(offset);
                    if (slot != null && slot.state == State.AVAILABLE) {
                        take(slot, memberId, deadline);
                        add(ranges, offset, slot.deliveryCount);
                        taken++;
                    }
                    continue;
                }
                if (!batch.deliverable()) {
                    endOffset = batch.lastOffset() + 1; // nothing to deliver: counts as archived
                    break;
                }
                // whole batches, unless the limit is strict: a batch begun with room is finished
                if (strictLimit ? endOffset - startOffset >= maxInFlight : windowFull) {
                    break;
                }
                endOffset = offset + 1;
                Slot slot = new Slot();
                take(slot, memberId, deadline);
                inFlight.put(offset, slot);
                add(ranges, offset, slot.deliveryCount);
                taken++;
            }
            if (taken > before) {
                lastUsed = i;
            }
        }
        advanceStart();
        return new Acquisition(ranges, lastUsed + 1);
    }

    /**
     * Applies one acknowledgement batch of {@code memberId} (one type for the whole range, or one
     * per offset). Every offset must be acquired by this member (a GAP may also name an offset
     * holding no record); otherwise nothing changes and the answer is INVALID_RECORD_STATE, as
     * Kafka's. RENEW extends the lock by {@code lockDurationMs} from now.
     */
    synchronized Errors acknowledge(String memberId, long firstOffset, long lastOffset, List<Byte> types, long nowMs,
                                    long lockDurationMs) {
        long count = lastOffset - firstOffset + 1;
        if (count <= 0 || types.isEmpty() || (types.size() != 1 && types.size() != count)) {
            return Errors.INVALID_REQUEST;
        }
        expireLocks(nowMs);
        if (firstOffset < startOffset || lastOffset >= endOffset) {
            return Errors.INVALID_RECORD_STATE;
        }
        for (long offset = firstOffset; offset <= lastOffset; offset++) {
            byte type = types.get(types.size() == 1 ? 0 : (int) (offset - firstOffset));
            if (type < GAP || type > RENEW) {
                return Errors.INVALID_REQUEST;
            }
            Slot slot = inFlight.get(offset);
            if (slot == null && type == GAP) {
                continue;
            }
            if (slot == null || slot.state != State.ACQUIRED || !memberId.equals(slot.memberId)) {
                return Errors.INVALID_RECORD_STATE;
            }
        }
        for (long offset = firstOffset; offset <= lastOffset; offset++) {
            byte type = types.get(types.size() == 1 ? 0 : (int) (offset - firstOffset));
            Slot slot = inFlight.get(offset);
            if (slot == null) {
                continue;
            }
            switch (type) {
                case ACCEPT -> finish(slot, State.ACKNOWLEDGED);
                case RELEASE -> release(offset, slot);
                case RENEW -> slot.lockDeadlineMs = nowMs + lockDurationMs;
                case REJECT -> archive(offset, slot, true);
                default -> finish(slot, State.ARCHIVED); // GAP
            }
        }
        advanceStart();
        return Errors.NONE;
    }

    /** Everything {@code memberId} holds becomes available again (its share session closed). */
    synchronized void releaseAll(String memberId) {
        for (Map.Entry<Long, Slot> e : inFlight.entrySet()) {
            Slot slot = e.getValue();
            if (slot.state == State.ACQUIRED && memberId.equals(slot.memberId)) {
                release(e.getKey(), slot);
                unwrittenRelease = true;
            }
        }
        advanceStart();
    }

    /**
     * Expires the locks past {@code nowMs}; true when, since the last call, records went back to
     * available (or archived) without an acknowledgement: a lock expired or a session closed. Kafka
     * writes the state then, so a new leader sees the delivery counts those deliveries took.
     */
    synchronized boolean takeUnwrittenRelease(long nowMs) {
        expireLocks(nowMs);
        boolean was = unwrittenRelease;
        unwrittenRelease = false;
        return was;
    }

    /** Marks an expiry check as scheduled; false when one already is (the caller schedules none). */
    synchronized boolean claimExpiryCheck() {
        if (expiryCheckScheduled) {
            return false;
        }
        expiryCheckScheduled = true;
        return true;
    }

    /** The scheduled check ran: the next acquisition or the earliest remaining lock schedules again. */
    synchronized void expiryCheckDone() {
        expiryCheckScheduled = false;
    }

    /**
     * Retires this state when no record is acquired (so it is read again from the share
     * coordinator); true when it did. A retired state acquires nothing, so no acquisition can slip
     * in between the check and the state's replacement.
     */
    synchronized boolean retireIfIdle(long nowMs) {
        expireLocks(nowMs);
        if (inFlight.values().stream().anyMatch(slot -> slot.state == State.ACQUIRED || slot.state == State.ARCHIVING)) {
            return false;
        }
        retired = true;
        return true;
    }

    /** The earliest lock deadline of an acquired record; Long.MAX_VALUE when none is acquired. */
    synchronized long earliestLockDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Slot slot : inFlight.values()) {
            if (slot.state == State.ACQUIRED) {
                earliest = Math.min(earliest, slot.lockDeadlineMs);
            }
        }
        return earliest;
    }

    private boolean hasAvailableIn(Batch batch) {
        for (Slot slot : inFlight.subMap(batch.baseOffset(), true, batch.lastOffset(), true).values()) {
            if (slot.state == State.AVAILABLE) {
                return true;
            }
        }
        return false;
    }

    private static void take(Slot slot, String memberId, long deadline) {
        slot.state = State.ACQUIRED;
        slot.deliveryCount++;
        slot.memberId = memberId;
        slot.lockDeadlineMs = deadline;
    }

    private void release(long offset, Slot slot) {
        if (slot.deliveryCount >= deliveryCountLimit) {
            archive(offset, slot, false);
        } else {
            finish(slot, State.AVAILABLE);
        }
    }

    /** Archives a record a consumer rejected or that is past the limit: archiving first when the group has a dead-letter topic. */
    private void archive(long offset, Slot slot, boolean rejected) {
        if (!deadLettering.getAsBoolean()) {
            finish(slot, State.ARCHIVED);
            return;
        }
        finish(slot, State.ARCHIVING);
        addDeadLetter(offset, slot.deliveryCount, rejected);
    }

    private void addDeadLetter(long offset, short count, boolean rejected) {
        if (!pendingDeadLetters.isEmpty()) {
            DeadLetter grown = pendingDeadLetters.get(pendingDeadLetters.size() - 1).extendedBy(offset, count, rejected);
            if (grown != null) {
                pendingDeadLetters.set(pendingDeadLetters.size() - 1, grown);
                return;
            }
        }
        pendingDeadLetters.add(new DeadLetter(offset, offset, count, rejected));
    }

    /** Makes rejected records and those past the limit go to a dead-letter topic while {@code when} says so. */
    synchronized void deadLetterWhen(BooleanSupplier when) {
        this.deadLettering = when;
    }

    /** The archiving ranges not yet handed out (each is handed out once); empty when none. */
    synchronized List<DeadLetter> takeDeadLetters() {
        if (pendingDeadLetters.isEmpty()) {
            return List.of();
        }
        List<DeadLetter> taken = List.copyOf(pendingDeadLetters);
        pendingDeadLetters.clear();
        return taken;
    }

    /** The dead-letter write of {@code letter} ended (written or given up): its offsets are archived. */
    synchronized void archiveDeadLetter(DeadLetter letter) {
        for (Slot slot : inFlight.subMap(letter.firstOffset(), true, letter.lastOffset(), true).values()) {
            if (slot.state == State.ARCHIVING) {
                slot.state = State.ARCHIVED;
            }
        }
        advanceStart();
    }

    private static void finish(Slot slot, State state) {
        slot.state = state;
        slot.memberId = null;
        slot.lockDeadlineMs = 0;
    }

    private void expireLocks(long nowMs) {
        boolean changed = false;
        for (Map.Entry<Long, Slot> e : inFlight.entrySet()) {
            Slot slot = e.getValue();
            if (slot.state == State.ACQUIRED && slot.lockDeadlineMs <= nowMs) {
                release(e.getKey(), slot);
                changed = true;
            }
        }
        if (changed) {
            unwrittenRelease = true;
            advanceStart();
        }
    }

    /** Moves the start offset over every acknowledged or archived offset (and offsets without records). */
    private void advanceStart() {
        while (startOffset < endOffset) {
            Map.Entry<Long, Slot> head = inFlight.firstEntry();
            if (head == null) {
                startOffset = endOffset;
                return;
            }
            if (head.getKey() > startOffset) {
                startOffset = head.getKey(); // offsets without entries hold nothing deliverable
                continue;
            }
            State state = head.getValue().state;
            if (state != State.ACKNOWLEDGED && state != State.ARCHIVED) {
                return;
            }
            inFlight.pollFirstEntry();
            startOffset = head.getKey() + 1;
        }
    }

    private static void add(List<AcquiredRange> ranges, long offset, short deliveryCount) {
        if (!ranges.isEmpty()) {
            AcquiredRange last = ranges.get(ranges.size() - 1);
            if (last.lastOffset() + 1 == offset && last.deliveryCount() == deliveryCount) {
                ranges.set(ranges.size() - 1, new AcquiredRange(last.firstOffset(), offset, deliveryCount));
                return;
            }
        }
        ranges.add(new AcquiredRange(offset, offset, deliveryCount));
    }
}

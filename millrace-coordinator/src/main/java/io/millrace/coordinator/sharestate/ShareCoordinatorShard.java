package io.millrace.coordinator.sharestate;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorShard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition states kept in one {@code __share_group_state} partition (KIP-932's share
 * coordinator): the latest {@link ShareSnapshot} of each {@link ShareStateKey}, replayed from
 * {@link ShareStateRecords}. The operations behind InitializeShareGroupState (a new state epoch
 * and start offset, dropping what was in flight), ReadShareGroupState (fences leaders older than
 * the one that read last, and records a newer one), WriteShareGroupState (a whole snapshot from
 * the current leader, replacing the one before: Millrace's leaders write their whole in-flight
 * state, not Kafka's deltas; older state epochs and leader epochs are fenced; start offset -1
 * keeps the current one), DeleteShareGroupState and
 * ReadShareGroupStateSummary. Lives on the partition's owner thread (see CoordinatorRuntime).
 */
public final class ShareCoordinatorShard implements CoordinatorShard {
    private final Map<ShareStateKey, ShareSnapshot> states = new HashMap<>();

    public ShareCoordinatorShard(Context context) {
    }

    @Override
    public void replay(long offset, long producerId, short producerEpoch, CoordinatorRecord record) {
        if (record.keyType() != ShareStateRecords.SNAPSHOT) {
            throw new IllegalArgumentException("Not a share state record: key type " + record.keyType());
        }
        ShareStateKey key = ShareStateRecords.readKey(record.key());
        if (record.value() == null) {
            states.remove(key);
        } else {
            states.put(key, ShareStateRecords.readSnapshot(record.value()));
        }
    }

    public CoordinatorResult<ShareStateResult> initialize(ShareStateKey key, int stateEpoch, long startOffset) {
        ShareSnapshot current = states.get(key);
        if (current != null && stateEpoch <= current.stateEpoch()) {
            return CoordinatorResult.of(ShareStateResult.failed(Errors.FENCED_STATE_EPOCH));
        }
        ShareSnapshot next = new ShareSnapshot(stateEpoch, current == null ? -1 : current.leaderEpoch(), startOffset,
                List.of());
        return new CoordinatorResult<>(List.of(ShareStateRecords.snapshot(key, next)), ShareStateResult.ok(next));
    }

    public CoordinatorResult<ShareStateResult> read(ShareStateKey key, int leaderEpoch) {
        ShareSnapshot current = states.get(key);
        if (current == null) {
            return CoordinatorResult.of(ShareStateResult.ok(null));
        }
        if (leaderEpoch < current.leaderEpoch()) {
            return CoordinatorResult.of(ShareStateResult.failed(Errors.FENCED_LEADER_EPOCH));
        }
        if (leaderEpoch == current.leaderEpoch()) {
            return CoordinatorResult.of(ShareStateResult.ok(current));
        }
        ShareSnapshot next = current.withLeaderEpoch(leaderEpoch);
        return new CoordinatorResult<>(List.of(ShareStateRecords.snapshot(key, next)), ShareStateResult.ok(next));
    }

    public CoordinatorResult<ShareStateResult> write(ShareStateKey key, ShareSnapshot snapshot) {
        ShareSnapshot current = states.get(key);
        if (current != null && snapshot.stateEpoch() < current.stateEpoch()) {
            return CoordinatorResult.of(ShareStateResult.failed(Errors.FENCED_STATE_EPOCH));
        }
        if (current != null && snapshot.leaderEpoch() < current.leaderEpoch()) {
            return CoordinatorResult.of(ShareStateResult.failed(Errors.FENCED_LEADER_EPOCH));
        }
        ShareSnapshot next = snapshot.startOffset() >= 0 || current == null ? snapshot
                : new ShareSnapshot(snapshot.stateEpoch(), snapshot.leaderEpoch(), current.startOffset(),
                snapshot.batches()); // -1: the start offset is not being written
        return new CoordinatorResult<>(List.of(ShareStateRecords.snapshot(key, next)), ShareStateResult.ok(next));
    }

    public CoordinatorResult<ShareStateResult> delete(ShareStateKey key) {
        if (!states.containsKey(key)) {
            return CoordinatorResult.of(ShareStateResult.ok(null));
        }
        return new CoordinatorResult<>(List.of(ShareStateRecords.tombstone(key)), ShareStateResult.ok(null));
    }

    /** The snapshot of {@code key}, or null (ReadShareGroupStateSummary reads its start offset and epochs). */
    public ShareSnapshot snapshot(ShareStateKey key) {
        return states.get(key);
    }
}

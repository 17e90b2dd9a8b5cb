package io.millrace.coordinator.sharestate;

import java.util.List;

/**
 * The durable state of one share-partition: the state epoch (moved on by Initialize, which resets
 * the state: AlterShareGroupOffsets, a new group), the leader epoch of the partition leader that
 * last read or wrote it (older leaders are fenced), the share-partition start offset (every offset
 * below it is acknowledged or archived) and the in-flight batches above it. Immutable.
 */
public record ShareSnapshot(int stateEpoch, int leaderEpoch, long startOffset, List<ShareStateBatch> batches) {
    public ShareSnapshot {
        batches = List.copyOf(batches);
    }

    ShareSnapshot withLeaderEpoch(int epoch) {
        return new ShareSnapshot(stateEpoch, epoch, startOffset, batches);
    }
}

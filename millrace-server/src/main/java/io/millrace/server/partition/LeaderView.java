package io.millrace.server.partition;

import io.millrace.metadata.records.PartitionRecord;
import java.util.Map;

/**
 * A consistent view of a partition this broker leads, taken under its leader lock: what the ISR
 * maintainer decides from.
 *
 * @param state                  the partition's metadata state
 * @param highWatermark          the leader's high watermark
 * @param leaderLogEndOffset     the leader's log end offset
 * @param leaderEpochStartOffset where the current leader epoch starts in the leader's log
 * @param followers              what the leader knows of each follower
 * @param isrChangeInFlight      whether an AlterPartition for this partition awaits its answer
 */
record LeaderView(PartitionRecord state, long highWatermark, long leaderLogEndOffset, long leaderEpochStartOffset,
                  Map<Integer, ReplicaProgress.FollowerState> followers, boolean isrChangeInFlight) {
}

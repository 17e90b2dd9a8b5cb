package io.millrace.server.replication;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * Where a follower stands in one partition when it builds a fetch: what it asks the leader for.
 *
 * @param currentLeaderEpoch the leader epoch the follower was told to follow (the leader fences older ones)
 * @param fetchOffset        the follower's log end offset
 * @param lastFetchedEpoch   the epoch of the follower's last batch, -1 when it has none (the leader
 *                           compares it with its own log to find where they diverge, KIP-595)
 * @param logStartOffset     the follower's log start offset
 */
public record FetchPosition(TopicPartition topicPartition, Uuid topicId, int currentLeaderEpoch, long fetchOffset,
                            int lastFetchedEpoch, long logStartOffset) {
}

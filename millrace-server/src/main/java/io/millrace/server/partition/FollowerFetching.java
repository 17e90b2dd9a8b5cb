package io.millrace.server.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * The follower side of replication, as the partition reconciler sees it: start copying a
 * partition from its leader, or stop. Implemented by the replica fetcher manager.
 *
 * <p>Called on the metadata thread. {@link #unfollow} returns only once no fetcher touches the
 * partition's log any more, so the caller may make it leader (or delete it) right after.
 */
public interface FollowerFetching {

    /** Copy {@code partition} from broker {@code leaderId}, which leads it at {@code leaderEpoch}; replaces any earlier follow. */
    void follow(Partition partition, int leaderId, int leaderEpoch);

    /** Stop copying {@code tp}; a no-op when not following it. */
    void unfollow(TopicPartition tp);

    FollowerFetching NONE = new FollowerFetching() {
        @Override
        public void follow(Partition partition, int leaderId, int leaderEpoch) {
        }

        @Override
        public void unfollow(TopicPartition tp) {
        }
    };
}

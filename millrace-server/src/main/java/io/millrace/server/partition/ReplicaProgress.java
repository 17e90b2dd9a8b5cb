package io.millrace.server.partition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What a partition leader knows of its followers, from their fetches: each follower's log end
 * offset (its last fetch offset), log start offset, when it last fetched, and when it was last
 * caught up with the leader.
 *
 * <p>Caught up (as Kafka's leader judges it): a fetch at or beyond the leader's log end offset at
 * the time of that fetch makes the follower caught up at the fetch time; a fetch at or beyond the
 * leader's log end offset at the time of the follower's <em>previous</em> fetch makes it caught up
 * as of that previous fetch.
 *
 * <p>Not thread-safe: its {@link Partition} guards it with the partition's leader lock.
 */
final class ReplicaProgress {
    static final long UNKNOWN = -1L;

    private final Map<Integer, FollowerState> followers = new HashMap<>();

    /**
     * A follower as seen by the leader.
     *
     * @param logEndOffset                the follower's last fetch offset, or {@link #UNKNOWN}
     * @param logStartOffset              the log start offset the follower reported, or {@link #UNKNOWN}
     * @param lastFetchTimeMs             when it last fetched (0 when never, under this leadership)
     * @param lastCaughtUpTimeMs          when it was last caught up (0 when never)
     * @param lastFetchLeaderLogEndOffset the leader's log end offset at its last fetch, or {@link #UNKNOWN}
     */
    record FollowerState(long logEndOffset, long logStartOffset, long lastFetchTimeMs, long lastCaughtUpTimeMs,
                         long lastFetchLeaderLogEndOffset) {
        static FollowerState fresh(long lastCaughtUpTimeMs) {
            return new FollowerState(UNKNOWN, UNKNOWN, 0L, lastCaughtUpTimeMs, UNKNOWN);
        }
    }

    /**
     * Starts a leadership: every follower's offsets become unknown; members of the ISR count as
     * caught up now, the others as never.
     */
    void reset(Collection<Integer> followerIds, Collection<Integer> isr, long nowMs) {
        followers.clear();
        for (int id : followerIds) {
            followers.put(id, FollowerState.fresh(isr.contains(id) ? nowMs : 0L));
        }
    }

    /** Keeps the state of {@code followerIds} (adding unknown ones as never caught up); forgets the others. */
    void retain(Collection<Integer> followerIds) {
        followers.keySet().retainAll(followerIds);
        for (int id : followerIds) {
            followers.putIfAbsent(id, FollowerState.fresh(0L));
        }
    }

    boolean isFollower(int replicaId) {
        return followers.containsKey(replicaId);
    }

    /**
     * Records a fetch of {@code replicaId} from {@code fetchOffset} at {@code nowMs}, while the
     * leader's log ends at {@code leaderLogEndOffset}. Returns false for an unknown follower.
     */
    boolean recordFetch(int replicaId, long fetchOffset, long followerLogStartOffset, long leaderLogEndOffset,
                        long nowMs) {
        FollowerState before = followers.get(replicaId);
        if (before == null) {
            return false;
        }
        long caughtUp = before.lastCaughtUpTimeMs();
        if (fetchOffset >= leaderLogEndOffset) {
            caughtUp = Math.max(caughtUp, nowMs);
        } else if (before.lastFetchLeaderLogEndOffset() != UNKNOWN
                && fetchOffset >= before.lastFetchLeaderLogEndOffset()) {
            caughtUp = Math.max(caughtUp, before.lastFetchTimeMs());
        }
        followers.put(replicaId, new FollowerState(fetchOffset, followerLogStartOffset, nowMs, caughtUp,
                leaderLogEndOffset));
        return true;
    }

    /** The follower's log end offset, or {@link #UNKNOWN}. */
    long logEndOffset(int replicaId) {
        FollowerState state = followers.get(replicaId);
        return state == null ? UNKNOWN : state.logEndOffset();
    }

    /**
     * The high watermark these followers allow: the least log end offset among {@code isr}
     * (the leader counting with {@code leaderLogEndOffset}); an ISR follower whose offset is
     * unknown holds it at {@link #UNKNOWN}.
     */
    long highWatermarkCandidate(int leaderId, long leaderLogEndOffset, Collection<Integer> isr) {
        long candidate = leaderLogEndOffset;
        for (int id : isr) {
            if (id != leaderId) {
                candidate = Math.min(candidate, logEndOffset(id));
            }
        }
        return candidate;
    }

    /** A copy of every follower's state. */
    Map<Integer, FollowerState> snapshot() {
        return Map.copyOf(followers);
    }
}

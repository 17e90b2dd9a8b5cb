package io.millrace.server.replication;


/**
 * One followed partition inside a {@link ReplicaFetcher}: the partition, the leader epoch it was
 * told to follow, and its backoff after an error. A new follow makes a new instance, so a
 * response to a request built from an older one is recognised (by identity) and dropped.
 *
 * <p>Not thread-safe: guarded by its fetcher's lock.
 */
final class FollowerState {
    final FollowedLog followed;
    final int leaderEpoch;
    /** No fetch for this partition before this time (Time.milliseconds()). */
    long backoffUntilMs;
    /** The last error logged for it, so each change of error is logged once. */
    String lastProblem;

    FollowerState(FollowedLog followed, int leaderEpoch) {
        this.followed = followed;
        this.leaderEpoch = leaderEpoch;
    }

    FetchPosition position() {
        var log = followed.log();
        return new FetchPosition(followed.topicPartition(), followed.topicId(), leaderEpoch, log.logEndOffset(),
                log.latestEpoch(), log.logStartOffset());
    }

    /** Records {@code problem} as the partition's current problem; true when it differs from the last one. */
    boolean problemChanged(String problem) {
        boolean changed = !problem.equals(lastProblem);
        lastProblem = problem;
        return changed;
    }

    void clearProblem() {
        lastProblem = null;
    }
}

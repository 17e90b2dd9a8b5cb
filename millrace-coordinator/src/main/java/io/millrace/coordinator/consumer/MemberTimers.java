package io.millrace.coordinator.consumer;

import io.millrace.coordinator.runtime.CoordinatorTimer;

/**
 * The two timers of a consumer group member, on its shard's {@link CoordinatorTimer}:
 * <ul>
 *   <li>session: reset by every heartbeat; when it fires the member is removed, its partitions
 *       go to the others ({@code group.consumer.session.timeout.ms});</li>
 *   <li>revocation: set when the member is asked to revoke partitions; when it fires before the
 *       member reports them revoked, the member is removed (its {@code rebalanceTimeoutMs},
 *       the client's {@code max.poll.interval.ms}).</li>
 * </ul>
 * Timer keys start with {@code consumer-}, so they cannot collide with other groups' timers.
 *
 * <p>Not thread-safe: runs on its coordinator shard's thread.
 */
final class MemberTimers {
    private final CoordinatorTimer timer;
    private final GroupMembership membership;

    MemberTimers(CoordinatorTimer timer, GroupMembership membership) {
        this.timer = timer;
        this.membership = membership;
    }

    static String sessionKey(String groupId, String memberId) {
        return "consumer-session/" + groupId + "/" + memberId;
    }

    static String revocationKey(String groupId, String memberId) {
        return "consumer-revocation/" + groupId + "/" + memberId;
    }

    void afterHeartbeat(String groupId, String memberId, MemberAssignment before, MemberAssignment after,
                        int rebalanceTimeoutMs, int sessionTimeoutMs) {
        scheduleSession(groupId, memberId, sessionTimeoutMs);
        if (after.state() != MemberState.UNREVOKED_PARTITIONS) {
            timer.cancel(revocationKey(groupId, memberId));
        } else if (before.state() != MemberState.UNREVOKED_PARTITIONS
                || !before.pendingRevocation().equals(after.pendingRevocation())
                || !timer.isScheduled(revocationKey(groupId, memberId))) {
            scheduleRevocation(groupId, memberId, rebalanceTimeoutMs);
        }
    }

    void afterStaticLeave(String groupId, String memberId, int sessionTimeoutMs) {
        scheduleSession(groupId, memberId, sessionTimeoutMs);
        timer.cancel(revocationKey(groupId, memberId));
    }

    /** After loading a group: every member gets a full session, revoking members a full rebalance timeout. */
    void afterLoad(ConsumerGroup group, int sessionTimeoutMs) {
        group.members().forEach((memberId, member) -> {
            scheduleSession(group.groupId(), memberId, sessionTimeoutMs);
            if (group.assignment(memberId).state() == MemberState.UNREVOKED_PARTITIONS) {
                scheduleRevocation(group.groupId(), memberId, member.rebalanceTimeoutMs());
            }
        });
    }

    void cancel(String groupId, String memberId) {
        timer.cancel(sessionKey(groupId, memberId));
        timer.cancel(revocationKey(groupId, memberId));
    }

    private void scheduleSession(String groupId, String memberId, int sessionTimeoutMs) {
        timer.schedule(sessionKey(groupId, memberId), sessionTimeoutMs,
                () -> membership.remove(groupId, memberId, "session timed out after " + sessionTimeoutMs + " ms"));
    }

    private void scheduleRevocation(String groupId, String memberId, int rebalanceTimeoutMs) {
        timer.schedule(revocationKey(groupId, memberId), Math.max(rebalanceTimeoutMs, 0),
                () -> membership.removeIfStillRevoking(groupId, memberId, rebalanceTimeoutMs));
    }
}

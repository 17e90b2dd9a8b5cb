package io.millrace.coordinator.classic;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance state machine of classic groups: preparing a rebalance, completing the join
 * phase (new generation, protocol, leader, JoinGroup responses), the initial delay of a new group,
 * rebalance, sync and session timeouts, and removing members. Runs on the shard's thread; the
 * records it decides on are added to the caller's list. Its timers guard the group before changing
 * it (see {@link ClassicGroups#guard}); parked requests are answered through
 * {@link ClassicGroups#respond}.
 */
final class ClassicRebalance {
    private static final Logger log = LoggerFactory.getLogger(ClassicRebalance.class);

    private final ClassicGroups groups;

    ClassicRebalance(ClassicGroups groups) {
        this.groups = groups;
    }

    void maybePrepareRebalance(ClassicGroup g, String reason, List<CoordinatorRecord> out) {
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(g, reason, out);
            case PREPARING_REBALANCE -> maybeCompleteJoin(g, out);
            case DEAD -> {
            }
        }
    }

    void prepareRebalance(ClassicGroup g, String reason, List<CoordinatorRecord> out) {
        if (g.state == ClassicGroupState.COMPLETING_REBALANCE) {
            // Assignments handed out for this generation are void: the members must rejoin.
            for (ClassicMember m : g.allMembers()) {
                m.assignment = ClassicMember.EMPTY;
                groups.respond(m.awaitingSync, syncError(Errors.REBALANCE_IN_PROGRESS));
                m.awaitingSync = null;
            }
            g.pendingSync.clear();
        }
        groups.timer.cancel(syncKey(g));
        boolean initial = g.state == ClassicGroupState.EMPTY;
        log.info("Preparing to rebalance group {} in state {} with old generation {} ({})", g.groupId,
                g.state.wireName(), g.generationId, reason);
        g.transition(ClassicGroupState.PREPARING_REBALANCE, groups.time.milliseconds());
        if (initial) {
            // A new group waits a little for more members, so it does not rebalance once per member.
            g.initialDelayActive = true;
            g.newMemberAdded = false;
            int rebalanceTimeout = g.rebalanceTimeoutMs();
            int delay = Math.min(groups.config.initialRebalanceDelayMs(), rebalanceTimeout);
            scheduleInitialDelay(g, delay, Math.max(rebalanceTimeout - delay, 0));
        } else {
            groups.timer.schedule(joinKey(g), g.rebalanceTimeoutMs(), () -> onJoinTimeout(g));
            maybeCompleteJoin(g, out);
        }
    }

    private void scheduleInitialDelay(ClassicGroup g, int delay, int remaining) {
        groups.timer.schedule(joinKey(g), delay, () -> {
            if (!groups.isCurrent(g) || g.state != ClassicGroupState.PREPARING_REBALANCE) {
                return CoordinatorResult.of(null);
            }
            groups.guard(g);
            if (g.newMemberAdded && remaining > 0) {
                g.newMemberAdded = false;
                int next = Math.min(groups.config.initialRebalanceDelayMs(), remaining);
                scheduleInitialDelay(g, next, Math.max(remaining - next, 0));
                return CoordinatorResult.of(null);
            }
            List<CoordinatorRecord> out = new ArrayList<>();
            completeJoin(g, out);
            return new CoordinatorResult<>(out, null);
        });
    }

    private CoordinatorResult<Void> onJoinTimeout(ClassicGroup g) {
        List<CoordinatorRecord> out = new ArrayList<>();
        if (groups.isCurrent(g) && g.state == ClassicGroupState.PREPARING_REBALANCE) {
            groups.guard(g);
            completeJoin(g, out);
        }
        return new CoordinatorResult<>(out, null);
    }

    void maybeCompleteJoin(ClassicGroup g, List<CoordinatorRecord> out) {
        if (g.state == ClassicGroupState.PREPARING_REBALANCE && !g.initialDelayActive && g.hasAllMembersJoined()) {
            completeJoin(g, out);
        }
    }

    /** Ends the join phase: members that did not rejoin leave, and a new generation starts. */
    void completeJoin(ClassicGroup g, List<CoordinatorRecord> out) {
        groups.timer.cancel(joinKey(g));
        g.initialDelayActive = false;
        for (ClassicMember m : List.copyOf(g.allMembers())) {
            // Static members keep their place: they may be restarting and come back within their session.
            if (m.awaitingJoin == null && !m.isStatic()) {
                log.info("Member {} of group {} did not rejoin in time; removing it", m.memberId, g.groupId);
                groups.timer.cancel(sessionKey(g, m.memberId));
                groups.respond(m.awaitingSync, syncError(Errors.UNKNOWN_MEMBER_ID));
                g.remove(m.memberId);
            }
        }
        if (g.state == ClassicGroupState.DEAD) {
            return;
        }
        long now = groups.time.milliseconds();
        g.generationId++;
        if (g.members.isEmpty()) {
            g.protocolName = null;
            g.leaderId = null;
            g.transition(ClassicGroupState.EMPTY, now);
            log.info("Group {} is empty at generation {}", g.groupId, g.generationId);
            out.add(ClassicGroupRecords.of(g, Map.of()));
            return;
        }
        g.protocolName = g.selectProtocol();
        ClassicMember leader = g.leaderId == null ? null : g.member(g.leaderId);
        if (leader == null || leader.awaitingJoin == null) {
            g.leaderId = g.electLeader();
        }
        g.transition(ClassicGroupState.COMPLETING_REBALANCE, now);
        g.pendingSync.clear();
        log.info("Group {} starts generation {} ({}) with {} members, leader {}", g.groupId, g.generationId,
                g.protocolName, g.members.size(), g.leaderId);
        for (ClassicMember m : g.allMembers()) {
            if (m.awaitingJoin == null) {
                continue;
            }
            JoinGroupResponseData response = currentGeneration(g, m, m.memberId.equals(g.leaderId));
            CompletableFuture<JoinGroupResponseData> waiting = m.awaitingJoin;
            m.awaitingJoin = null;
            m.isNew = false;
            g.pendingSync.add(m.memberId);
            scheduleSession(g, m);
            groups.respond(waiting, response);
        }
        int generation = g.generationId;
        groups.timer.schedule(syncKey(g), g.rebalanceTimeoutMs(), () -> onSyncTimeout(g, generation));
    }

    /** The join response of the current generation; the leader gets every member's metadata. */
    static JoinGroupResponseData currentGeneration(ClassicGroup g, ClassicMember m, boolean withMembers) {
        JoinGroupResponseData response = new JoinGroupResponseData().setGenerationId(g.generationId)
                .setProtocolType(g.protocolType).setProtocolName(g.protocolName).setLeader(g.leaderId)
                .setMemberId(m.memberId);
        if (withMembers) {
            for (ClassicMember member : g.allMembers()) {
                response.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(member.memberId).setGroupInstanceId(member.groupInstanceId)
                        .setMetadata(member.metadata(g.protocolName)));
            }
        }
        return response;
    }

    private CoordinatorResult<Void> onSyncTimeout(ClassicGroup g, int generation) {
        List<CoordinatorRecord> out = new ArrayList<>();
        if (groups.isCurrent(g) && g.state == ClassicGroupState.COMPLETING_REBALANCE && g.generationId == generation) {
            groups.guard(g);
            for (String memberId : List.copyOf(g.pendingSync)) {
                log.info("Member {} of group {} did not sync generation {} in time; removing it", memberId,
                        g.groupId, generation);
                ClassicMember m = g.member(memberId);
                if (m != null) {
                    groups.timer.cancel(sessionKey(g, memberId));
                    g.remove(memberId);
                }
            }
            prepareRebalance(g, "members did not sync in time", out);
        }
        return new CoordinatorResult<>(out, null);
    }

    /** Removes a member that left or expired, and rebalances what remains. */
    void removeMemberAndRebalance(ClassicGroup g, ClassicMember m, String reason, List<CoordinatorRecord> out) {
        groups.respond(m.awaitingJoin, joinError(m.memberId, Errors.UNKNOWN_MEMBER_ID));
        groups.respond(m.awaitingSync, syncError(Errors.UNKNOWN_MEMBER_ID));
        m.awaitingJoin = null;
        m.awaitingSync = null;
        groups.timer.cancel(sessionKey(g, m.memberId));
        g.remove(m.memberId);
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g, reason, out);
            case PREPARING_REBALANCE -> maybeCompleteJoin(g, out);
            default -> {
            }
        }
    }

    void scheduleSession(ClassicGroup g, ClassicMember m) {
        String memberId = m.memberId;
        groups.timer.schedule(sessionKey(g, memberId), m.sessionTimeoutMs, () -> onSessionTimeout(g, memberId));
    }

    private CoordinatorResult<Void> onSessionTimeout(ClassicGroup g, String memberId) {
        List<CoordinatorRecord> out = new ArrayList<>();
        ClassicMember m = groups.isCurrent(g) ? g.member(memberId) : null;
        if (m == null) {
            return CoordinatorResult.of(null);
        }
        if (m.awaitingJoin != null || m.awaitingSync != null) {
            // A member waiting on us is alive; the rebalance and sync timeouts bound that wait.
            scheduleSession(g, m);
            return CoordinatorResult.of(null);
        }
        log.info("Member {} of group {} missed its session timeout of {} ms; removing it", memberId, g.groupId,
                m.sessionTimeoutMs);
        groups.guard(g);
        removeMemberAndRebalance(g, m, "member " + memberId + " session expired", out);
        return new CoordinatorResult<>(out, null);
    }

    void schedulePendingMember(ClassicGroup g, String memberId, int sessionTimeoutMs) {
        groups.timer.schedule(pendingKey(g, memberId), sessionTimeoutMs, () -> {
            List<CoordinatorRecord> out = new ArrayList<>();
            groups.guard(g);
            if (groups.isCurrent(g) && g.pendingMembers.remove(memberId)) {
                maybeCompleteJoin(g, out);
            }
            return new CoordinatorResult<>(out, null);
        });
    }

    void cancelTimers(ClassicGroup g) {
        groups.timer.cancel(joinKey(g));
        groups.timer.cancel(syncKey(g));
        for (String memberId : g.members.keySet()) {
            groups.timer.cancel(sessionKey(g, memberId));
        }
        for (String memberId : g.pendingMembers) {
            groups.timer.cancel(pendingKey(g, memberId));
        }
    }

    static String joinKey(ClassicGroup g) {
        return "classic-join/" + g.groupId;
    }

    static String syncKey(ClassicGroup g) {
        return "classic-sync/" + g.groupId;
    }

    static String sessionKey(ClassicGroup g, String memberId) {
        return "classic-session/" + g.groupId + "/" + memberId;
    }

    static String pendingKey(ClassicGroup g, String memberId) {
        return "classic-pending/" + g.groupId + "/" + memberId;
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code()).setGenerationId(-1);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }

    static <T> void complete(CompletableFuture<T> future, T value) {
        if (future != null) {
            future.complete(value);
        }
    }
}

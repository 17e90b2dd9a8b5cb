package io.millrace.coordinator.classic;

import static io.millrace.coordinator.classic.ClassicRebalance.syncError;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * SyncGroup, Heartbeat and LeaveGroup of the classic protocol, with their generation and member
 * checks. Runs on the shard's thread.
 */
final class ClassicMembership {
    private final ClassicGroups groups;
    private final ClassicRebalance rebalance;

    ClassicMembership(ClassicGroups groups, ClassicRebalance rebalance) {
        this.groups = groups;
        this.rebalance = rebalance;
    }

    /**
     * @return the response when due now, or a null response when {@code waiting} completes once
     *         the leader's assignment is durable (or the rebalance starts over)
     */
    CoordinatorResult<SyncGroupResponseData> sync(SyncGroupRequestData request,
                                                  CompletableFuture<SyncGroupResponseData> waiting) {
        if (!GroupIds.isValid(request.groupId())) {
            return CoordinatorResult.of(syncError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup g = groups.get(request.groupId());
        Errors error = check(g, request.memberId(), request.groupInstanceId(), request.generationId());
        if (error == Errors.NONE && (!matches(request.protocolType(), g.protocolType)
                || !matches(request.protocolName(), g.protocolName))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error != Errors.NONE) {
            return CoordinatorResult.of(syncError(error));
        }
        ClassicMember m = g.member(request.memberId());
        groups.guard(g);
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                return CoordinatorResult.of(syncError(Errors.REBALANCE_IN_PROGRESS));
            }
            case STABLE -> {
                rebalance.scheduleSession(g, m);
                return CoordinatorResult.of(assignment(g, m.assignment));
            }
            case COMPLETING_REBALANCE -> {
                groups.respond(m.awaitingSync, syncError(Errors.REBALANCE_IN_PROGRESS));
                m.awaitingSync = waiting;
                g.pendingSync.remove(m.memberId);
                rebalance.scheduleSession(g, m);
                if (!m.memberId.equals(g.leaderId)) {
                    return CoordinatorResult.of(null);
                }
                // The leader's assignment: once durable, replay makes the group stable and answers everyone.
                Map<String, byte[]> assignments = new HashMap<>();
                for (SyncGroupRequestData.SyncGroupRequestAssignment a : request.assignments()) {
                    if (g.member(a.memberId()) != null) {
                        assignments.put(a.memberId(), a.assignment());
                    }
                }
                for (String memberId : g.members.keySet()) {
                    assignments.putIfAbsent(memberId, ClassicMember.EMPTY);
                }
                return new CoordinatorResult<>(List.of(ClassicGroupRecords.of(g, assignments)), null);
            }
            default -> {
                return CoordinatorResult.of(syncError(Errors.UNKNOWN_MEMBER_ID));
            }
        }
    }

    CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CoordinatorResult.of(heartbeatError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup g = groups.get(request.groupId());
        Errors error = check(g, request.memberId(), request.groupInstanceId(), request.generationId());
        if (error != Errors.NONE) {
            return CoordinatorResult.of(heartbeatError(error));
        }
        rebalance.scheduleSession(g, g.member(request.memberId()));
        Errors answer = switch (g.state) {
            case PREPARING_REBALANCE -> Errors.REBALANCE_IN_PROGRESS;
            case STABLE, COMPLETING_REBALANCE -> Errors.NONE;
            default -> Errors.UNKNOWN_MEMBER_ID;
        };
        return CoordinatorResult.of(heartbeatError(answer));
    }

    /** LeaveGroup of one member (v0-2) or several (v3+); each member gets its own error. */
    CoordinatorResult<LeaveGroupResponseData> leave(String groupId, List<MemberIdentity> leaving) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (!GroupIds.isValid(groupId)) {
            return CoordinatorResult.of(response.setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        ClassicGroup g = groups.get(groupId);
        if (g == null) {
            return CoordinatorResult.of(response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        if (g.state == ClassicGroupState.DEAD) {
            return CoordinatorResult.of(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
        }
        groups.guard(g);
        List<CoordinatorRecord> out = new ArrayList<>();
        for (MemberIdentity identity : leaving) {
            String memberId = identity.memberId() == null ? "" : identity.memberId();
            String instanceId = identity.groupInstanceId();
            Errors error = Errors.NONE;
            if (instanceId != null) {
                String current = g.staticMemberId(instanceId);
                if (current == null) {
                    error = Errors.UNKNOWN_MEMBER_ID;
                } else if (!memberId.isEmpty() && !memberId.equals(current)) {
                    error = Errors.FENCED_INSTANCE_ID;
                } else {
                    memberId = current;
                }
            }
            if (error == Errors.NONE) {
                if (g.pendingMembers.remove(memberId)) {
                    groups.timer.cancel(ClassicRebalance.pendingKey(g, memberId));
                    rebalance.maybeCompleteJoin(g, out);
                } else if (g.member(memberId) == null) {
                    error = Errors.UNKNOWN_MEMBER_ID;
                } else {
                    rebalance.removeMemberAndRebalance(g, g.member(memberId),
                            "member " + memberId + " left" + (identity.reason() == null ? "" : ": " + identity.reason()),
                            out);
                }
            }
            response.members().add(new MemberResponse().setMemberId(identity.memberId())
                    .setGroupInstanceId(instanceId).setErrorCode(error.code()));
        }
        return new CoordinatorResult<>(out, response);
    }

    /** The checks SyncGroup and Heartbeat share, in Kafka's order. */
    private static Errors check(ClassicGroup g, String memberId, String instanceId, int generationId) {
        if (g == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (g.state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (instanceId != null && g.isFenced(memberId, instanceId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (g.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generationId != g.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    private static boolean matches(String requested, String current) {
        return requested == null || requested.equals(current);
    }

    static SyncGroupResponseData assignment(ClassicGroup g, byte[] assignment) {
        return new SyncGroupResponseData().setProtocolType(g.protocolType).setProtocolName(g.protocolName)
                .setAssignment(assignment == null ? ClassicMember.EMPTY : assignment);
    }

    private static HeartbeatResponseData heartbeatError(Errors error) {
        return new HeartbeatResponseData().setErrorCode(error.code());
    }
}

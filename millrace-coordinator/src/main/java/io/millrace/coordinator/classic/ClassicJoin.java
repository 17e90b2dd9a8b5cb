package io.millrace.coordinator.classic;

import static io.millrace.coordinator.classic.ClassicRebalance.joinError;
import static io.millrace.coordinator.classic.ClassicRebalance.syncError;

import io.millrace.coordinator.GroupIds;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JoinGroup of the classic protocol: new members (with the member-id-required round trip from
 * v4), known members rejoining, and static members ({@code group.instance.id}) that replace their
 * earlier incarnation. Runs on the shard's thread.
 */
final class ClassicJoin {
    private static final Logger log = LoggerFactory.getLogger(ClassicJoin.class);
    private static final int REQUIRE_MEMBER_ID_VERSION = 4;
    private static final int SKIP_ASSIGNMENT_VERSION = 9;

    private final ClassicGroups groups;
    private final ClassicRebalance rebalance;

    ClassicJoin(ClassicGroups groups, ClassicRebalance rebalance) {
        this.groups = groups;
        this.rebalance = rebalance;
    }

    /** The request's fields, normalised across versions. */
    private record Join(String groupId, String memberId, String instanceId, String protocolType,
                        List<ClassicMember.Protocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs,
                        GroupRequestContext context, CompletableFuture<JoinGroupResponseData> waiting) {
    }

    /**
     * @return the response when it is due now (after the records are appended), or a null
     *         response when {@code waiting} completes later, at the end of the join phase
     */
    CoordinatorResult<JoinGroupResponseData> join(GroupRequestContext context, JoinGroupRequestData request,
                                                  CompletableFuture<JoinGroupResponseData> waiting) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (!GroupIds.isValid(request.groupId())) {
            return CoordinatorResult.of(joinError(memberId, Errors.INVALID_GROUP_ID));
        }
        int session = request.sessionTimeoutMs();
        if (session < groups.config.minSessionTimeoutMs() || session > groups.config.maxSessionTimeoutMs()) {
            return CoordinatorResult.of(joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new ClassicMember.Protocol(p.name(), p.metadata())));
        int rebalanceTimeout = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : session;
        Join join = new Join(request.groupId(), memberId, request.groupInstanceId(), request.protocolType(), protocols,
                session, rebalanceTimeout, context, waiting);

        ClassicGroup g = groups.get(join.groupId);
        boolean created = false;
        if (g == null) {
            if (!memberId.isEmpty()) {
                return CoordinatorResult.of(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
            if (groups.ownedByOtherType.test(join.groupId)) {
                return CoordinatorResult.of(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            }
            g = new ClassicGroup(join.groupId, groups.time.milliseconds());
            created = true;
        }
        if (!g.supportsProtocols(join.protocolType, protocols)) {
            return CoordinatorResult.of(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        if (g.state == ClassicGroupState.DEAD) {
            return CoordinatorResult.of(joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        boolean addsMember = memberId.isEmpty() ? g.staticMemberId(join.instanceId) == null
                : g.pendingMembers.contains(memberId);
        if (addsMember && g.members.size() >= groups.config.maxGroupSize()) {
            return CoordinatorResult.of(joinError(memberId, Errors.GROUP_MAX_SIZE_REACHED));
        }
        groups.guard(g);
        if (created) {
            groups.put(g);
        }
        List<CoordinatorRecord> out = new ArrayList<>();
        JoinGroupResponseData now = memberId.isEmpty() ? joinUnknown(g, join, out) : joinKnown(g, join, out);
        return new CoordinatorResult<>(out, now);
    }

    private JoinGroupResponseData joinUnknown(ClassicGroup g, Join join, List<CoordinatorRecord> out) {
        String prefix = join.instanceId != null ? join.instanceId
                : join.context.clientId() == null ? "" : join.context.clientId();
        String newMemberId = prefix + "-" + UUID.randomUUID();
        if (join.instanceId != null) {
            String existing = g.staticMemberId(join.instanceId);
            if (existing != null) {
                return replaceStaticMember(g, existing, newMemberId, join, out);
            }
            addMemberAndRebalance(g, newMemberId, join, out);
            return null;
        }
        if (join.context.apiVersion() >= REQUIRE_MEMBER_ID_VERSION) {
            g.pendingMembers.add(newMemberId);
            rebalance.schedulePendingMember(g, newMemberId, join.sessionTimeoutMs);
            return joinError(newMemberId, Errors.MEMBER_ID_REQUIRED);
        }
        addMemberAndRebalance(g, newMemberId, join, out);
        return null;
    }

    private JoinGroupResponseData joinKnown(ClassicGroup g, Join join, List<CoordinatorRecord> out) {
        if (g.pendingMembers.remove(join.memberId)) {
            groups.timer.cancel(ClassicRebalance.pendingKey(g, join.memberId));
            addMemberAndRebalance(g, join.memberId, join, out);
            return null;
        }
        if (join.instanceId != null && g.isFenced(join.memberId, join.instanceId)) {
            return joinError(join.memberId, Errors.FENCED_INSTANCE_ID);
        }
        ClassicMember m = g.member(join.memberId);
        if (m == null) {
            return joinError(join.memberId, Errors.UNKNOWN_MEMBER_ID);
        }
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                updateMemberAndRebalance(g, m, join, out);
                return null;
            }
            case COMPLETING_REBALANCE -> {
                if (m.sameProtocols(join.protocols)) {
                    // A retried join: answer with the generation it already belongs to.
                    return ClassicRebalance.currentGeneration(g, m, m.memberId.equals(g.leaderId));
                }
                updateMemberAndRebalance(g, m, join, out);
                return null;
            }
            case STABLE -> {
                if (m.memberId.equals(g.leaderId) || !m.sameProtocols(join.protocols)) {
                    // The leader rejoining asks for a rebalance (it saw metadata change).
                    updateMemberAndRebalance(g, m, join, out);
                    return null;
                }
                rebalance.scheduleSession(g, m);
                return ClassicRebalance.currentGeneration(g, m, false);
            }
            default -> {
                return joinError(join.memberId, Errors.UNKNOWN_MEMBER_ID);
            }
        }
    }

    private JoinGroupResponseData replaceStaticMember(ClassicGroup g, String oldMemberId, String newMemberId, Join join,
                                                      List<CoordinatorRecord> out) {
        ClassicMember m = g.member(oldMemberId);
        // The earlier incarnation may still wait on a request: it is fenced now.
        groups.respond(m.awaitingJoin, joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        groups.respond(m.awaitingSync, syncError(Errors.FENCED_INSTANCE_ID));
        m.awaitingJoin = null;
        m.awaitingSync = null;
        groups.timer.cancel(ClassicRebalance.sessionKey(g, oldMemberId));
        byte[] oldMetadata = g.protocolName == null ? null : m.metadata(g.protocolName);
        g.replaceStaticMember(join.instanceId, oldMemberId, newMemberId);
        update(m, join);
        // As Kafka: no rebalance while the group would choose the same protocol; we also require the
        // same subscription, so a static member that changed its topics still gets a rebalance.
        boolean unchanged = g.protocolName != null && g.protocolName.equals(g.selectProtocol())
                && sameSubscription(g.protocolType, oldMetadata, m.metadata(g.protocolName));
        rebalance.scheduleSession(g, m);
        log.info("Static member {} of group {} rejoined as {} (was {})", join.instanceId, g.groupId, newMemberId,
                oldMemberId);
        switch (g.state) {
            case STABLE -> {
                if (unchanged) {
                    // Nothing the assignment depends on changed: no rebalance. Persist the new member id.
                    out.add(ClassicGroupRecords.of(g, Map.of()));
                    boolean leader = newMemberId.equals(g.leaderId);
                    JoinGroupResponseData response = ClassicRebalance.currentGeneration(g, m, leader);
                    if (leader && join.context.apiVersion() >= SKIP_ASSIGNMENT_VERSION) {
                        response.setSkipAssignment(true);
                    }
                    return response;
                }
                m.awaitingJoin = join.waiting;
                rebalance.prepareRebalance(g, "static member " + join.instanceId + " changed its protocols", out);
                return null;
            }
            case COMPLETING_REBALANCE -> {
                // The leader may be assigning to the old member id: start over.
                m.awaitingJoin = join.waiting;
                rebalance.prepareRebalance(g, "static member " + join.instanceId + " rejoined during sync", out);
                return null;
            }
            case PREPARING_REBALANCE -> {
                m.awaitingJoin = join.waiting;
                rebalance.maybeCompleteJoin(g, out);
                return null;
            }
            default -> {
                return joinError(newMemberId, Errors.COORDINATOR_NOT_AVAILABLE);
            }
        }
    }

    /** Same consumer subscription (topics), else (other protocol types, unreadable metadata) the same bytes. */
    private static boolean sameSubscription(String protocolType, byte[] before, byte[] after) {
        if ("consumer".equals(protocolType)) {
            List<String> a = ConsumerSubscriptions.topics(before);
            List<String> b = ConsumerSubscriptions.topics(after);
            if (a != null && b != null) {
                return new HashSet<>(a).equals(new HashSet<>(b));
            }
        }
        return Arrays.equals(before, after);
    }

    private void addMemberAndRebalance(ClassicGroup g, String memberId, Join join, List<CoordinatorRecord> out) {
        if (g.members.isEmpty()) {
            g.protocolType = join.protocolType;
        }
        ClassicMember m = new ClassicMember(memberId, join.instanceId, join.context.clientId(),
                join.context.clientHost(), join.rebalanceTimeoutMs, join.sessionTimeoutMs, join.protocols);
        m.isNew = true;
        m.awaitingJoin = join.waiting;
        if (g.initialDelayActive) {
            g.newMemberAdded = true;
        }
        g.add(m);
        rebalance.scheduleSession(g, m);
        rebalance.maybePrepareRebalance(g, "member " + memberId + " joined", out);
    }

    private void updateMemberAndRebalance(ClassicGroup g, ClassicMember m, Join join, List<CoordinatorRecord> out) {
        groups.respond(m.awaitingJoin, joinError(m.memberId, Errors.REBALANCE_IN_PROGRESS));
        update(m, join);
        m.awaitingJoin = join.waiting;
        rebalance.scheduleSession(g, m);
        rebalance.maybePrepareRebalance(g, "member " + m.memberId + " rejoined", out);
    }

    private static void update(ClassicMember m, Join join) {
        m.protocols = List.copyOf(join.protocols);
        m.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        m.sessionTimeoutMs = join.sessionTimeoutMs;
        m.clientId = join.context.clientId();
        m.clientHost = join.context.clientHost();
    }
}

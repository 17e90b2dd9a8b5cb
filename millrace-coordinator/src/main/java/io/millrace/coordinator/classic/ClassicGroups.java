package io.millrace.coordinator.classic;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupCoordinatorConfig;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import io.millrace.coordinator.runtime.WriteJournal;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The classic groups of one coordinator partition: the entry point of the classic protocol
 * (join, sync, heartbeat, leave), the replay of key type 2 records, and what admin requests and
 * offset commits need to know of a classic group. Owned by the shard's thread; not thread-safe.
 *
 * <p>Durable state changes by replay: the leader's assignment becomes the group's (and the group
 * Stable) when its record is replayed; a restart rebuilds every group from its latest record. The
 * rebalance in flight (who has rejoined, waiting requests, pending member ids) is transient and
 * changes as requests arrive, as in Kafka, where the classic protocol does not persist joins. So
 * that a write whose append fails leaves no trace, every operation {@link #guard}s the group before
 * changing it (a snapshot the {@link WriteJournal} restores on failure), and parked requests are
 * answered through {@link #respond}, once the write's records are committed.
 */
public final class ClassicGroups {
    final Time time;
    final CoordinatorTimer timer;
    final WriteJournal journal;
    final GroupCoordinatorConfig config;
    /** Group ids that belong to another kind of group (KIP-848 consumer groups). */
    final Predicate<String> ownedByOtherType;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final ClassicRebalance rebalance;
    private final ClassicJoin join;
    private final ClassicMembership membership;
    private boolean loaded;

    public ClassicGroups(Time time, CoordinatorTimer timer, WriteJournal journal, GroupCoordinatorConfig config,
                         Predicate<String> ownedByOtherType) {
        this.time = time;
        this.timer = timer;
        this.journal = journal;
        this.config = config;
        this.ownedByOtherType = ownedByOtherType;
        this.rebalance = new ClassicRebalance(this);
        this.join = new ClassicJoin(this, rebalance);
        this.membership = new ClassicMembership(this, rebalance);
    }

    public ClassicGroup get(String groupId) {
        return groups.get(groupId);
    }

    public Collection<ClassicGroup> all() {
        return Collections.unmodifiableCollection(groups.values());
    }

    void put(ClassicGroup group) {
        groups.put(group.groupId, group);
    }

    boolean isCurrent(ClassicGroup group) {
        return groups.get(group.groupId) == group;
    }

    void removeIfCurrent(ClassicGroup group) {
        groups.remove(group.groupId, group);
    }

    /** Before a write operation changes {@code g}: how to put it back if the write's append fails. */
    void guard(ClassicGroup g) {
        if (journal.inWrite()) {
            ClassicGroupSnapshot snapshot = new ClassicGroupSnapshot(g, isCurrent(g));
            journal.onRevert(() -> snapshot.restore(this));
        }
    }

    /** Answers a parked request once the current write's records are committed (at once outside a write). */
    <T> void respond(CompletableFuture<T> future, T value) {
        if (future != null) {
            journal.afterCommit(() -> future.complete(value));
        }
    }

    public CoordinatorResult<JoinGroupResponseData> join(GroupRequestContext context, JoinGroupRequestData request,
                                                         CompletableFuture<JoinGroupResponseData> waiting) {
        return join.join(context, request, waiting);
    }

    public CoordinatorResult<SyncGroupResponseData> sync(SyncGroupRequestData request,
                                                         CompletableFuture<SyncGroupResponseData> waiting) {
        return membership.sync(request, waiting);
    }

    public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        return membership.heartbeat(request);
    }

    public CoordinatorResult<LeaveGroupResponseData> leave(String groupId, List<MemberIdentity> members) {
        return membership.leave(groupId, members);
    }

    /** Applies a key type 2 record: a completed generation, an emptied group, or a deletion. */
    public void replay(CoordinatorRecord record) {
        String groupId = ClassicGroupRecords.readGroupId(record.key());
        ClassicGroup live = groups.get(groupId);
        if (record.isTombstone()) {
            if (live != null) {
                rebalance.cancelTimers(live);
                live.transition(ClassicGroupState.DEAD, time.milliseconds());
                groups.remove(groupId);
            }
            return;
        }
        ClassicGroupRecords.Snapshot snapshot = ClassicGroupRecords.readValue(groupId, record.value());
        if (live != null && live.generationId == snapshot.generationId()) {
            applyAssignments(live, snapshot);
            return;
        }
        if (live != null && live.generationId > snapshot.generationId()) {
            return;
        }
        if (live != null) {
            rebalance.cancelTimers(live);
        }
        ClassicGroup restored = restore(snapshot);
        groups.put(groupId, restored);
        if (loaded) {
            restored.allMembers().forEach(m -> rebalance.scheduleSession(restored, m));
        }
    }

    /** This node serves the partition now: members restored from records must heartbeat again. */
    public void onLoaded() {
        loaded = true;
        for (ClassicGroup g : groups.values()) {
            g.allMembers().forEach(m -> rebalance.scheduleSession(g, m));
        }
    }

    /** This node no longer serves the partition: waiting requests learn to find the new coordinator. */
    public void onUnloaded() {
        for (ClassicGroup g : groups.values()) {
            for (ClassicMember m : g.allMembers()) {
                ClassicRebalance.complete(m.awaitingJoin, ClassicRebalance.joinError(m.memberId, Errors.NOT_COORDINATOR));
                ClassicRebalance.complete(m.awaitingSync, ClassicRebalance.syncError(Errors.NOT_COORDINATOR));
            }
        }
        groups.clear();
    }

    private void applyAssignments(ClassicGroup g, ClassicGroupRecords.Snapshot snapshot) {
        Map<String, byte[]> assignments = new HashMap<>();
        snapshot.members().forEach(m -> assignments.put(m.memberId(), m.assignment()));
        if (g.state == ClassicGroupState.COMPLETING_REBALANCE && !snapshot.members().isEmpty()) {
            // The leader's assignment is durable: the generation is stable; answer every waiting SyncGroup.
            timer.cancel(ClassicRebalance.syncKey(g));
            g.pendingSync.clear();
            g.transition(ClassicGroupState.STABLE, time.milliseconds());
            for (ClassicMember m : g.allMembers()) {
                m.assignment = assignments.getOrDefault(m.memberId, ClassicMember.EMPTY);
                CompletableFuture<SyncGroupResponseData> waiting = m.awaitingSync;
                m.awaitingSync = null;
                respond(waiting, ClassicMembership.assignment(g, m.assignment));
            }
            return;
        }
        for (ClassicMember m : g.allMembers()) {
            byte[] assignment = assignments.get(m.memberId);
            if (assignment != null) {
                m.assignment = assignment;
            }
        }
    }

    private ClassicGroup restore(ClassicGroupRecords.Snapshot s) {
        ClassicGroup g = new ClassicGroup(s.groupId(), s.stateTimestamp());
        g.generationId = s.generationId();
        g.protocolType = s.protocolType();
        g.protocolName = s.protocolName();
        for (ClassicGroupRecords.MemberSnapshot ms : s.members()) {
            List<ClassicMember.Protocol> protocols = s.protocolName() == null ? List.of()
                    : List.of(new ClassicMember.Protocol(s.protocolName(), ms.metadata()));
            ClassicMember m = new ClassicMember(ms.memberId(), ms.groupInstanceId(), ms.clientId(), ms.clientHost(),
                    ms.rebalanceTimeoutMs(), ms.sessionTimeoutMs(), protocols);
            m.assignment = ms.assignment();
            g.add(m);
        }
        g.leaderId = s.leaderId() != null && g.member(s.leaderId()) != null ? s.leaderId() : g.electLeader();
        g.state = g.members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
        return g;
    }

    /** DescribeGroups of a classic group; metadata and assignments only once Stable, as Kafka does. */
    public DescribedGroup describe(ClassicGroup g) {
        boolean stable = g.state == ClassicGroupState.STABLE;
        DescribedGroup out = new DescribedGroup().setGroupId(g.groupId).setGroupState(g.state.wireName())
                .setProtocolType(g.protocolType == null ? "" : g.protocolType)
                .setProtocolData(stable && g.protocolName != null ? g.protocolName : "");
        for (ClassicMember m : g.allMembers()) {
            out.members().add(new DescribedGroupMember().setMemberId(m.memberId).setGroupInstanceId(m.groupInstanceId)
                    .setClientId(m.clientId == null ? "" : m.clientId)
                    .setClientHost(m.clientHost == null ? "" : m.clientHost)
                    .setMemberMetadata(stable ? m.metadata(g.protocolName) : ClassicMember.EMPTY)
                    .setMemberAssignment(stable ? m.assignment : ClassicMember.EMPTY));
        }
        return out;
    }

    /** The record that deletes an empty group; the group must be Empty or Dead. */
    public CoordinatorRecord deletion(String groupId) {
        return ClassicGroupRecords.tombstone(groupId);
    }

    /** Whether {@code g} may be removed when its last offset expires: empty and no one joining. */
    public boolean isIdle(ClassicGroup g) {
        return g.state == ClassicGroupState.EMPTY && g.pendingMembers.isEmpty();
    }

    /**
     * Kafka's checks of an offset commit against a classic group ({@code g} may be null).
     *
     * @return NONE when the commit may go ahead
     */
    public Errors validateOffsetCommit(ClassicGroup g, String memberId, String instanceId, int generationId,
                                       short apiVersion) {
        boolean anonymous = generationId < 0 && (memberId == null || memberId.isEmpty()) && instanceId == null;
        if (g == null) {
            if (generationId < 0) {
                return Errors.NONE; // a "simple" group: offsets only, committed by the admin client or by assign() users
            }
            return apiVersion >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        if (g.state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && g.state == ClassicGroupState.EMPTY) {
            return Errors.NONE;
        }
        if (!anonymous) {
            if (instanceId != null && g.isFenced(memberId, instanceId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            if (g.member(memberId) == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (generationId != g.generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (g.state != ClassicGroupState.EMPTY) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (g.state == ClassicGroupState.COMPLETING_REBALANCE) {
            // The member has its new generation but not yet its assignment: let it sync first.
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    /**
     * TxnOffsetCommit's check (KIP-447), as Kafka's: no group, or an empty one, accepts a commit
     * without a generation (-1: a producer whose consumer does not use group management); a
     * commit naming a member, an instance or a generation must come from a member of the current
     * generation (FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION); a commit naming none of
     * them is accepted whatever the state (old clients send none). Unlike OffsetCommit, a rebalance
     * in progress does not refuse it.
     */
    public Errors validateTransactionalOffsetCommit(ClassicGroup g, String memberId, String instanceId,
                                                    int generationId) {
        if (g == null) {
            return generationId < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (g.state == ClassicGroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && g.state == ClassicGroupState.EMPTY) {
            return Errors.NONE;
        }
        boolean named = generationId >= 0 || (memberId != null && !memberId.isEmpty()) || instanceId != null;
        if (!named) {
            return Errors.NONE;
        }
        if (instanceId != null) {
            String current = g.staticMemberId(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        } else if (g.member(memberId) == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return generationId == g.generationId ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    /**
     * The topics the group's members subscribe to, for groups of the "consumer" protocol type;
     * null when they cannot be known (another protocol type, or unreadable metadata).
     */
    public Set<String> subscribedTopics(ClassicGroup g) {
        if (!"consumer".equals(g.protocolType) || g.protocolName == null) {
            return g.members.isEmpty() ? Set.of() : null;
        }
        Set<String> topics = new HashSet<>();
        for (ClassicMember m : g.allMembers()) {
            List<String> subscribed = ConsumerSubscriptions.topics(m.metadata(g.protocolName));
            if (subscribed == null) {
                return null;
            }
            topics.addAll(subscribed);
        }
        return topics;
    }
}

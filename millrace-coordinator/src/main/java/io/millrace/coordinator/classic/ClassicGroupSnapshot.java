package io.millrace.coordinator.classic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * Every field of a classic group and of its members as they were before a write operation, so
 * that a write whose append fails can put the group back exactly, in place: timers and parked
 * requests keep referring to the same {@link ClassicGroup} and {@link ClassicMember} objects.
 * Immutable once taken; used on the shard's thread.
 */
final class ClassicGroupSnapshot {
    /** One member's mutable fields. */
    private record MemberFields(ClassicMember member, String memberId, String clientId, String clientHost,
                                int rebalanceTimeoutMs, int sessionTimeoutMs, List<ClassicMember.Protocol> protocols,
                                byte[] assignment, CompletableFuture<JoinGroupResponseData> awaitingJoin,
                                CompletableFuture<SyncGroupResponseData> awaitingSync, boolean isNew) {
        void restore() {
            member.memberId = memberId;
            member.clientId = clientId;
            member.clientHost = clientHost;
            member.rebalanceTimeoutMs = rebalanceTimeoutMs;
            member.sessionTimeoutMs = sessionTimeoutMs;
            member.protocols = protocols;
            member.assignment = assignment;
            member.awaitingJoin = awaitingJoin;
            member.awaitingSync = awaitingSync;
            member.isNew = isNew;
        }
    }

    private final ClassicGroup group;
    private final boolean wasCurrent;
    private final ClassicGroupState state;
    private final long stateTimestamp;
    private final int generationId;
    private final String protocolType;
    private final String protocolName;
    private final String leaderId;
    private final List<MemberFields> members = new ArrayList<>();
    private final Map<String, String> staticMembers;
    private final Set<String> pendingMembers;
    private final Set<String> pendingSync;
    private final boolean initialDelayActive;
    private final boolean newMemberAdded;

    ClassicGroupSnapshot(ClassicGroup g, boolean wasCurrent) {
        this.group = g;
        this.wasCurrent = wasCurrent;
        this.state = g.state;
        this.stateTimestamp = g.stateTimestamp;
        this.generationId = g.generationId;
        this.protocolType = g.protocolType;
        this.protocolName = g.protocolName;
        this.leaderId = g.leaderId;
        for (ClassicMember m : g.members.values()) {
            members.add(new MemberFields(m, m.memberId, m.clientId, m.clientHost, m.rebalanceTimeoutMs,
                    m.sessionTimeoutMs, m.protocols, m.assignment, m.awaitingJoin, m.awaitingSync, m.isNew));
        }
        this.staticMembers = new HashMap<>(g.staticMembers);
        this.pendingMembers = new HashSet<>(g.pendingMembers);
        this.pendingSync = new HashSet<>(g.pendingSync);
        this.initialDelayActive = g.initialDelayActive;
        this.newMemberAdded = g.newMemberAdded;
    }

    /** Puts the group back as it was, and back into (or out of) {@code groups}. */
    void restore(ClassicGroups groups) {
        ClassicGroup g = group;
        g.state = state;
        g.stateTimestamp = stateTimestamp;
        g.generationId = generationId;
        g.protocolType = protocolType;
        g.protocolName = protocolName;
        g.leaderId = leaderId;
        Map<String, ClassicMember> restored = new LinkedHashMap<>();
        for (MemberFields fields : members) {
            fields.restore();
            restored.put(fields.memberId(), fields.member());
        }
        g.members.clear();
        g.members.putAll(restored);
        g.staticMembers.clear();
        g.staticMembers.putAll(staticMembers);
        g.pendingMembers.clear();
        g.pendingMembers.addAll(pendingMembers);
        g.pendingSync.clear();
        g.pendingSync.addAll(pendingSync);
        g.initialDelayActive = initialDelayActive;
        g.newMemberAdded = newMemberAdded;
        if (wasCurrent) {
            groups.put(g);
        } else {
            groups.removeIfCurrent(g);
        }
    }
}

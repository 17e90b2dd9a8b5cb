package io.millrace.coordinator.classic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One classic group: its members, generation, protocol and leader, and the rebalance in flight.
 * Mutable; owned by the shard's thread.
 *
 * <p>What {@link ClassicGroupRecords} persists (generation, protocol, leader, members with
 * metadata and assignment, state timestamp) is what a restart restores; the rest (pending
 * members, waiting requests, the rebalance in progress) is transient, as in Kafka.
 */
public final class ClassicGroup {
    final String groupId;
    ClassicGroupState state = ClassicGroupState.EMPTY;
    long stateTimestamp;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    final Map<String, ClassicMember> members = new LinkedHashMap<>();
    /** group.instance.id to member id. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined with them. */
    final Set<String> pendingMembers = new HashSet<>();
    /** Members that got this generation's JoinGroup response but have not sent SyncGroup. */
    final Set<String> pendingSync = new HashSet<>();
    boolean initialDelayActive;
    boolean newMemberAdded;

    ClassicGroup(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    public String groupId() {
        return groupId;
    }

    public ClassicGroupState state() {
        return state;
    }

    public int generationId() {
        return generationId;
    }

    public String protocolType() {
        return protocolType;
    }

    public long stateTimestamp() {
        return stateTimestamp;
    }

    public int size() {
        return members.size();
    }

    public boolean isEmptyOrDead() {
        return state == ClassicGroupState.EMPTY || state == ClassicGroupState.DEAD;
    }

    void transition(ClassicGroupState next, long now) {
        state = next;
        stateTimestamp = now;
    }

    ClassicMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<ClassicMember> allMembers() {
        return members.values();
    }

    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    /** A static member that names an instance id held by another member id. */
    boolean isFenced(String memberId, String groupInstanceId) {
        String current = staticMemberId(groupInstanceId);
        return current != null && !current.equals(memberId);
    }

    void add(ClassicMember member) {
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        ClassicMember removed = members.remove(memberId);
        pendingSync.remove(memberId);
        if (removed != null && removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId))) {
            staticMembers.remove(removed.groupInstanceId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = electLeader();
        }
    }

    /** A member that is rejoining if there is one, else any member, else null. */
    String electLeader() {
        String any = null;
        for (ClassicMember m : members.values()) {
            if (m.awaitingJoin != null) {
                return m.memberId;
            }
            if (any == null) {
                any = m.memberId;
            }
        }
        return any;
    }

    /** Gives a static member a new member id (a restarted instance); returns the member. */
    ClassicMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicMember member = members.remove(oldMemberId);
        member.memberId = newMemberId;
        members.put(newMemberId, member);
        staticMembers.put(groupInstanceId, newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSync.remove(oldMemberId)) {
            pendingSync.add(newMemberId);
        }
        return member;
    }

    boolean hasAllMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (ClassicMember m : members.values()) {
            if (m.awaitingJoin == null) {
                return false;
            }
        }
        return true;
    }

    int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /** Protocols every member supports; null when the group has no members. */
    Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (ClassicMember m : members.values()) {
            Set<String> names = new HashSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates;
    }

    /** Whether a member with this protocol type and these protocols may join. */
    boolean supportsProtocols(String memberProtocolType, List<ClassicMember.Protocol> protocols) {
        if (memberProtocolType == null || memberProtocolType.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        return protocols.stream().anyMatch(p -> candidates.contains(p.name()));
    }

    /** Kafka's choice: among protocols all members support, the one most members prefer. */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (ClassicMember m : members.values()) {
            votes.merge(m.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (best == null || e.getValue() > votes.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    List<String> memberIds() {
        return new ArrayList<>(members.keySet());
    }
}

package io.millrace.coordinator.streams;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;

/**
 * One streams group as its records, replayed, describe it: group epoch, the topology, the
 * members, the target assignment and its epoch, each member's current assignment. Changed only
 * by the {@code apply*}/{@code remove*} methods {@link StreamsGroups#replay} calls. Confined to
 * its shard's thread.
 */
final class StreamsGroup {
    /** As Kafka names a streams group's states. */
    enum State {
        EMPTY("Empty"), NOT_READY("NotReady"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable"),
        DEAD("Dead");

        final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }
    }

    private final String groupId;
    private int groupEpoch;
    private long topicsHash;
    private Topology topology;
    private int assignmentEpoch;
    /** No new target assignment before then (initial rebalance delay, assignment interval). */
    private long assignmentNotBeforeMs;
    /** The target at the assignment epoch is a placeholder (the previous one); a new one is due. */
    private boolean assignmentPending;
    private final SortedMap<String, StreamsMember> members = new TreeMap<>();
    private final Map<String, TaskAssignment> targets = new HashMap<>();
    private final Map<String, StreamsMemberAssignment> assignments = new HashMap<>();
    /**
     * Changes whenever a member or its current assignment does: members compare it with the one
     * they last saw to know when to ask for who holds which partitions (interactive queries).
     * Soft state, legitimately: it is derived by replay (each apply bumps it), is in no record of
     * its own, and a new coordinator that replays the log starts it afresh, which members only see
     * as a change and answer by taking the endpoint map once more (Kafka keeps it in memory too).
     */
    private int endpointEpoch;
    /**
     * The member that asked the whole application to shut down: set by replaying its member record
     * (which carries the request), kept after it leaves until the group is empty.
     */
    private String shutdownRequestedBy;

    StreamsGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    long topicsHash() {
        return topicsHash;
    }

    Topology topology() {
        return topology;
    }

    int topologyEpoch() {
        return topology == null ? -1 : topology.epoch();
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    SortedMap<String, StreamsMember> members() {
        return Collections.unmodifiableSortedMap(members);
    }

    StreamsMember member(String memberId) {
        return members.get(memberId);
    }

    TaskAssignment target(String memberId) {
        return targets.getOrDefault(memberId, TaskAssignment.EMPTY);
    }

    Map<String, TaskAssignment> targets() {
        return Collections.unmodifiableMap(targets);
    }

    StreamsMemberAssignment assignment(String memberId) {
        return assignments.getOrDefault(memberId, StreamsMemberAssignment.NONE);
    }

    String shutdownRequestedBy() {
        return shutdownRequestedBy;
    }

    long assignmentNotBeforeMs() {
        return assignmentNotBeforeMs;
    }

    boolean assignmentPending() {
        return assignmentPending;
    }

    /** The member of this static instance id, if any. */
    StreamsMember staticMember(String instanceId) {
        if (instanceId == null) {
            return null;
        }
        for (StreamsMember m : members.values()) {
            if (instanceId.equals(m.instanceId())) {
                return m;
            }
        }
        return null;
    }

    int endpointEpoch() {
        return endpointEpoch;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** The member other than {@code memberId} that owns (or still revokes) this active task, if any. */
    String activeOwnerOtherThan(String memberId, Tasks.TaskId task) {
        return activeOwnerOtherThan(java.util.Set.of(memberId), task);
    }

    /** As above, ignoring several members (a static member and the one it replaces). */
    String activeOwnerOtherThan(java.util.Set<String> memberIds, Tasks.TaskId task) {
        for (Map.Entry<String, StreamsMemberAssignment> e : assignments.entrySet()) {
            if (!memberIds.contains(e.getKey()) && e.getValue().ownedActive().contains(task)) {
                return e.getKey();
            }
        }
        return null;
    }

    State state(boolean topologyReady) {
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (topology == null || !topologyReady) {
            return State.NOT_READY;
        }
        if (assignmentEpoch != groupEpoch || assignmentPending) {
            return State.ASSIGNING;
        }
        for (String id : members.keySet()) {
            StreamsMemberAssignment a = assignment(id);
            if (a.memberEpoch() != assignmentEpoch || a.state() != StreamsMemberAssignment.State.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    void applyMetadata(int epoch, long hash) {
        this.groupEpoch = epoch;
        this.topicsHash = hash;
    }

    void applyTopology(Topology topology) {
        this.topology = topology;
    }

    void applyMember(StreamsMember member) {
        endpointEpoch++;
        if (member.shutdownRequested() && shutdownRequestedBy == null) {
            shutdownRequestedBy = member.memberId();
        }
        members.put(member.memberId(), member);
    }

    void removeMember(String memberId) {
        endpointEpoch++;
        members.remove(memberId);
        if (members.isEmpty()) {
            shutdownRequestedBy = null;
        }
    }

    void applyAssignmentEpoch(int epoch, long notBeforeMs, boolean pending) {
        this.assignmentEpoch = epoch;
        this.assignmentNotBeforeMs = notBeforeMs;
        this.assignmentPending = pending;
    }

    void applyTarget(String memberId, TaskAssignment target) {
        targets.put(memberId, target);
    }

    void removeTarget(String memberId) {
        targets.remove(memberId);
    }

    void applyAssignment(String memberId, StreamsMemberAssignment assignment) {
        endpointEpoch++;
        assignments.put(memberId, assignment);
    }

    void removeAssignment(String memberId) {
        endpointEpoch++;
        assignments.remove(memberId);
    }
}

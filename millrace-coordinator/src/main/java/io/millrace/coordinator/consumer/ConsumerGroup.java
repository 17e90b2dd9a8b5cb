package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicsView.TopicInfo;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One consumer group as its records, replayed, describe it: the group epoch, the subscribed
 * topics' metadata at that epoch, the members, the target assignment and its epoch, each
 * member's current assignment, and which member owns each partition.
 *
 * <p>Changed only by the {@code apply*} and {@code remove*} methods, which {@link ConsumerGroups#replay}
 * calls. Not thread-safe: confined to its coordinator shard's thread.
 */
final class ConsumerGroup {
    private final String groupId;
    private int groupEpoch;
    private List<TopicInfo> subscriptionMetadata = List.of();
    private int assignmentEpoch;
    private final SortedMap<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, PartitionSet> targets = new HashMap<>();
    private final Map<String, MemberAssignment> assignments = new HashMap<>();
    private final Map<PartitionRef, String> owners = new HashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    List<TopicInfo> subscriptionMetadata() {
        return subscriptionMetadata;
    }

    SortedMap<String, ConsumerGroupMember> members() {
        return Collections.unmodifiableSortedMap(members);
    }

    ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** The member id holding {@code instanceId}, or null. */
    String staticMemberId(String instanceId) {
        return staticMembers.get(instanceId);
    }

    Map<String, PartitionSet> targets() {
        return Collections.unmodifiableMap(targets);
    }

    PartitionSet target(String memberId) {
        return targets.getOrDefault(memberId, PartitionSet.EMPTY);
    }

    MemberAssignment assignment(String memberId) {
        return assignments.getOrDefault(memberId, MemberAssignment.JOINING);
    }

    /** The member that owns {@code partition} (assigned or still revoking it), or null. */
    String owner(PartitionRef partition) {
        return owners.get(partition);
    }

    ConsumerGroupState state() {
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (String memberId : members.keySet()) {
            MemberAssignment assignment = assignment(memberId);
            if (assignment.memberEpoch() != assignmentEpoch || assignment.state() != MemberState.STABLE) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    void applyGroupEpoch(int epoch) {
        groupEpoch = epoch;
    }

    void applySubscriptionMetadata(List<TopicInfo> topics) {
        subscriptionMetadata = List.copyOf(topics);
    }

    void applyAssignmentEpoch(int epoch) {
        assignmentEpoch = epoch;
    }

    void applyMember(ConsumerGroupMember member) {
        ConsumerGroupMember previous = members.put(member.memberId(), member);
        if (previous != null && previous.instanceId() != null) {
            staticMembers.remove(previous.instanceId(), previous.memberId());
        }
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
    }

    void removeMember(String memberId) {
        ConsumerGroupMember previous = members.remove(memberId);
        if (previous != null && previous.instanceId() != null) {
            staticMembers.remove(previous.instanceId(), memberId);
        }
    }

    void applyTarget(String memberId, PartitionSet partitions) {
        targets.put(memberId, partitions);
    }

    void removeTarget(String memberId) {
        targets.remove(memberId);
    }

    void applyAssignment(String memberId, MemberAssignment assignment) {
        removeAssignment(memberId);
        assignments.put(memberId, assignment);
        assignment.owned().list().forEach(p -> owners.put(p, memberId));
    }

    void removeAssignment(String memberId) {
        MemberAssignment previous = assignments.remove(memberId);
        if (previous != null) {
            previous.owned().list().forEach(p -> owners.remove(p, memberId));
        }
    }

    /** True when no member, target or assignment remains: the group's own records may go. */
    boolean hasNoMemberState() {
        return members.isEmpty() && targets.isEmpty() && assignments.isEmpty();
    }
}

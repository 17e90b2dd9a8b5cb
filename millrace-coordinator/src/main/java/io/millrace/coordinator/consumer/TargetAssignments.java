package io.millrace.coordinator.consumer;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides, for a group whose members (or the topics they subscribe to) may have changed, the
 * group epoch and the target assignment, and writes the records for what changed: subscription
 * metadata (4), group epoch (3), the targets of members whose target moved (7) and the target's
 * epoch (6), in that order.
 *
 * <p>The group epoch rises when the membership or a subscription changed, or when the subscribed
 * topics' metadata differs from that stored (a topic created, deleted, or given partitions).
 * Whenever the group epoch is ahead of the target's, the assignor runs at once, so a group is
 * only ever in ASSIGNING between two records of one batch.
 *
 * <p>Not thread-safe: used on its coordinator shard's thread.
 */
final class TargetAssignments {
    private final ConsumerGroupConfig config;
    private final SubscriptionResolver resolver;
    private final LongAdder rebalances;

    TargetAssignments(ConsumerGroupConfig config, SubscriptionResolver resolver, LongAdder rebalances) {
        this.config = config;
        this.resolver = resolver;
        this.rebalances = rebalances;
    }

    /** The target assignment in effect once the records are replayed. */
    record Targets(int epoch, Map<String, PartitionSet> byMember) {
        PartitionSet of(String memberId) {
            return byMember.getOrDefault(memberId, PartitionSet.EMPTY);
        }
    }

    /**
     * @param group          the group as replayed so far (for a new group, an empty one)
     * @param members        the members it will have, with their new subscriptions
     * @param currentTargets member id → its stored target, as the records already added leave it
     * @param membersChanged whether a member joined or left or changed its subscription or assignor
     * @param records        where the records go
     */
    Targets update(ConsumerGroup group, SortedMap<String, ConsumerGroupMember> members,
                   Map<String, PartitionSet> currentTargets, boolean membersChanged, List<CoordinatorRecord> records) {
        String groupId = group.groupId();
        SubscriptionResolver.Resolved resolved = resolver.resolve(groupId, members.values(), currentTargets);
        boolean metadataChanged = !resolved.metadata().equals(group.subscriptionMetadata());
        int groupEpoch = group.groupEpoch();
        if (membersChanged || metadataChanged) {
            groupEpoch++;
            if (metadataChanged) {
                records.add(ConsumerGroupRecords.subscriptionMetadata(groupId, resolved.metadata()));
            }
            records.add(ConsumerGroupRecords.groupEpoch(groupId, groupEpoch));
            rebalances.increment();
        }
        if (groupEpoch <= group.assignmentEpoch()) {
            Map<String, PartitionSet> unchanged = new HashMap<>();
            members.keySet().forEach(id -> unchanged.put(id, currentTargets.getOrDefault(id, PartitionSet.EMPTY)));
            return new Targets(group.assignmentEpoch(), unchanged);
        }
        SortedMap<String, ConsumerGroupAssignor.Member> specMembers = new TreeMap<>();
        members.forEach((id, member) -> specMembers.put(id, new ConsumerGroupAssignor.Member(
                resolved.memberTopics().getOrDefault(id, Set.of()),
                currentTargets.getOrDefault(id, PartitionSet.EMPTY))));
        Map<String, PartitionSet> assigned = selectAssignor(members)
                .assign(new ConsumerGroupAssignor.Spec(specMembers, resolved.partitionCounts()));
        Map<String, PartitionSet> targets = new LinkedHashMap<>();
        for (String id : members.keySet()) {
            PartitionSet target = assigned.getOrDefault(id, PartitionSet.EMPTY);
            targets.put(id, target);
            PartitionSet stored = currentTargets.get(id);
            if (stored == null ? !target.isEmpty() : !stored.equals(target)) {
                records.add(ConsumerGroupRecords.target(groupId, id, target));
            }
        }
        for (String id : currentTargets.keySet()) {
            if (!members.containsKey(id)) {
                records.add(ConsumerGroupRecords.tombstone(
                        CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER, groupId, id));
            }
        }
        records.add(ConsumerGroupRecords.targetEpoch(groupId, groupEpoch));
        return new Targets(groupEpoch, targets);
    }

    /**
     * The assignor the members ask for most (among those configured), ties going to the one
     * configured first; the default when none asks.
     */
    ConsumerGroupAssignor selectAssignor(Map<String, ConsumerGroupMember> members) {
        Map<String, Integer> votes = new HashMap<>();
        members.values().forEach(m -> {
            if (m.serverAssignor() != null) {
                votes.merge(m.serverAssignor(), 1, Integer::sum);
            }
        });
        ConsumerGroupAssignor best = config.defaultAssignor();
        int bestVotes = 0;
        for (ConsumerGroupAssignor assignor : config.assignors()) {
            int count = votes.getOrDefault(assignor.name(), 0);
            if (count > bestVotes) {
                best = assignor;
                bestVotes = count;
            }
        }
        return best;
    }
}

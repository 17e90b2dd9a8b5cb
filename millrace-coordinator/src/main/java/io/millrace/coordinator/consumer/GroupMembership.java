package io.millrace.coordinator.consumer;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write operations of consumer group membership (KIP-848): a heartbeat (join, rejoin,
 * reconcile), leaving (for good, or for a while as a static member), and removal of a member
 * whose session or revocation timed out. Each returns the records that make the change and the
 * response; none changes state itself. Timers are set here, as the decision is made.
 *
 * <p>Not thread-safe: runs on its coordinator shard's thread.
 */
final class GroupMembership {
    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;
    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);

    private final ConsumerGroupConfig config;
    private final Function<String, ConsumerGroup> groups;
    private final SubscriptionResolver resolver;
    private final TargetAssignments targetAssignments;
    private final MemberTimers timers;

    GroupMembership(ConsumerGroupConfig config, Function<String, ConsumerGroup> groups, SubscriptionResolver resolver,
                    CoordinatorTimer timer, LongAdder rebalances) {
        this.config = config;
        this.groups = groups;
        this.resolver = resolver;
        this.targetAssignments = new TargetAssignments(config, resolver, rebalances);
        this.timers = new MemberTimers(timer, this);
    }

    TargetAssignments targetAssignments() {
        return targetAssignments;
    }

    MemberTimers timers() {
        return timers;
    }

    CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroupHeartbeatRequestData request,
                                                                     GroupRequestContext client) {
        try {
            HeartbeatValidation.validate(request, config, resolver);
            return switch (request.memberEpoch()) {
                case LEAVE_EPOCH -> leave(request);
                case STATIC_LEAVE_EPOCH -> leaveForNow(request);
                default -> joinOrHeartbeat(request, client);
            };
        } catch (ApiException e) {
            return CoordinatorResult.of(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage()));
        }
    }

    /** Removes a member that is still there; no records when it is gone already. */
    CoordinatorResult<Void> remove(String groupId, String memberId, String reason) {
        ConsumerGroup group = groups.apply(groupId);
        if (group == null || group.member(memberId) == null) {
            return CoordinatorResult.of(null);
        }
        LOG.info("Removing member {} from consumer group {}: {}", memberId, groupId, reason);
        timers.cancel(groupId, memberId);
        return new CoordinatorResult<>(removalRecords(group, memberId), null);
    }

    /** Removes a member that was asked to revoke partitions and still has not. */
    CoordinatorResult<Void> removeIfStillRevoking(String groupId, String memberId, int rebalanceTimeoutMs) {
        ConsumerGroup group = groups.apply(groupId);
        if (group == null || group.member(memberId) == null
                || group.assignment(memberId).state() != MemberState.UNREVOKED_PARTITIONS) {
            return CoordinatorResult.of(null);
        }
        return remove(groupId, memberId, "partitions not revoked within " + rebalanceTimeoutMs + " ms");
    }

    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> joinOrHeartbeat(
            ConsumerGroupHeartbeatRequestData request, GroupRequestContext client) {
        String groupId = request.groupId();
        boolean joining = request.memberEpoch() == 0;
        ConsumerGroup group = groupFor(groupId, joining);
        String memberId = request.memberId() == null || request.memberId().isEmpty()
                ? Uuid.randomUuid().toString() : request.memberId();
        PartitionSet reported = HeartbeatValidation.partitions(request.topicPartitions());
        List<CoordinatorRecord> records = new ArrayList<>();
        Map<String, PartitionSet> currentTargets = new HashMap<>(group.targets());

        ConsumerGroupMember existing = group.member(memberId);
        MemberAssignment current;
        String replacedId = null;
        if (existing != null) {
            current = group.assignment(memberId);
            if (joining && current.memberEpoch() == STATIC_LEAVE_EPOCH) {
                current = rejoined(current);
            } else if (!joining) {
                checkEpoch(current, request.memberEpoch(), reported);
            }
        } else if (!joining) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + memberId + " is not in consumer group " + groupId);
        } else {
            replacedId = request.instanceId() == null ? null : group.staticMemberId(request.instanceId());
            if (replacedId != null) {
                MemberAssignment old = group.assignment(replacedId);
                if (old.memberEpoch() != STATIC_LEAVE_EPOCH) {
                    throw Errors.UNRELEASED_INSTANCE_ID.exception("Instance id " + request.instanceId()
                            + " is in use by member " + replacedId + " of consumer group " + groupId);
                }
                existing = group.member(replacedId).withMemberId(memberId);
                current = rejoined(old);
                replaceStaticMember(group, replacedId, memberId, currentTargets, records);
            } else {
                if (group.members().size() >= config.maxSize()) {
                    throw Errors.GROUP_MAX_SIZE_REACHED.exception("Consumer group " + groupId + " has reached its "
                            + "maximum size of " + config.maxSize() + " members");
                }
                current = MemberAssignment.JOINING;
            }
        }

        ConsumerGroupMember updated = HeartbeatValidation.updatedMember(existing, memberId, request, client);
        boolean newMember = existing == null;
        if (newMember || replacedId != null || !updated.equals(existing)) {
            records.add(ConsumerGroupRecords.member(groupId, updated));
        }
        SortedMap<String, ConsumerGroupMember> members = new TreeMap<>(group.members());
        if (replacedId != null) {
            members.remove(replacedId);
        }
        members.put(memberId, updated);
        boolean subscriptionChanged = newMember || updated.subscriptionDiffers(existing);
        resolver.heartbeat(groupId, memberId, client.topics());
        TargetAssignments.Targets targets =
                targetAssignments.update(group, members, currentTargets, subscriptionChanged, records);

        String replaced = replacedId;
        Predicate<PartitionRef> ownedByOther = p -> {
            String owner = group.owner(p);
            return owner != null && !owner.equals(memberId) && !owner.equals(replaced);
        };
        MemberAssignment stored = group.assignment(memberId);
        MemberAssignment next = Reconciler.reconcile(current, targets.epoch(), targets.of(memberId), ownedByOther,
                reported, joining);
        if (!next.equals(stored)) {
            records.add(ConsumerGroupRecords.currentAssignment(groupId, memberId, next));
        }
        timers.afterHeartbeat(groupId, memberId, stored, next, updated.rebalanceTimeoutMs(), config.sessionTimeoutMs(groupId));
        if (newMember) {
            LOG.info("Member {} joined consumer group {} (epoch {}, client {} {})", memberId, groupId,
                    targets.epoch(), updated.clientId(), updated.clientHost());
        }

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(next.memberEpoch())
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs(groupId));
        if (joining || HeartbeatValidation.isFullRequest(request) || request.memberEpoch() != next.memberEpoch()
                || !next.assigned().equals(stored.assigned())) {
            response.setAssignment(HeartbeatValidation.assignment(next.assigned()));
        }
        return new CoordinatorResult<>(records, response);
    }

    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> leave(ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroup group = knownMemberGroup(request);
        LOG.info("Member {} left consumer group {}", request.memberId(), request.groupId());
        timers.cancel(request.groupId(), request.memberId());
        return new CoordinatorResult<>(removalRecords(group, request.memberId()), new ConsumerGroupHeartbeatResponseData()
                .setMemberId(request.memberId()).setMemberEpoch(LEAVE_EPOCH));
    }

    /**
     * A static member leaves for a while (a restart): it keeps its partitions, which nobody else
     * gets, until it rejoins under the same instance id or its session times out.
     */
    private CoordinatorResult<ConsumerGroupHeartbeatResponseData> leaveForNow(ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroup group = knownMemberGroup(request);
        MemberAssignment current = group.assignment(request.memberId());
        List<CoordinatorRecord> records = new ArrayList<>();
        if (current.memberEpoch() != STATIC_LEAVE_EPOCH) {
            records.add(ConsumerGroupRecords.currentAssignment(request.groupId(), request.memberId(),
                    new MemberAssignment(STATIC_LEAVE_EPOCH, current.memberEpoch(), current.state(), current.assigned(),
                            current.pendingRevocation())));
        }
        LOG.info("Static member {} of consumer group {} left for now", request.memberId(), request.groupId());
        timers.afterStaticLeave(request.groupId(), request.memberId(), config.sessionTimeoutMs(request.groupId()));
        return new CoordinatorResult<>(records, new ConsumerGroupHeartbeatResponseData()
                .setMemberId(request.memberId()).setMemberEpoch(STATIC_LEAVE_EPOCH));
    }

    private ConsumerGroup groupFor(String groupId, boolean joining) {
        ConsumerGroup group = groups.apply(groupId);
        if (group != null) {
            return group;
        }
        if (!joining) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Consumer group " + groupId + " does not exist");
        }
        return new ConsumerGroup(groupId);
    }

    private ConsumerGroup knownMemberGroup(ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroup group = groups.apply(request.groupId());
        if (group == null || group.member(request.memberId()) == null) {
            throw Errors.UNKNOWN_MEMBER_ID.exception("Member " + request.memberId() + " is not in consumer group "
                    + request.groupId());
        }
        return group;
    }

    /**
     * An epoch other than the member's is accepted only if it is the previous one and the member
     * owns no partition beyond what it has now: the response that moved it on was lost.
     */
    private static void checkEpoch(MemberAssignment current, int epoch, PartitionSet reported) {
        if (epoch == current.memberEpoch()) {
            return;
        }
        if (epoch < current.memberEpoch() && epoch == current.previousMemberEpoch()
                && (reported == null || current.assigned().containsAll(reported))) {
            return;
        }
        throw Errors.FENCED_MEMBER_EPOCH.exception("The member epoch " + epoch
                + " does not match the coordinator's " + current.memberEpoch());
    }

    /** A static member coming back resumes the assignment it left with, at the epoch it had. */
    private static MemberAssignment rejoined(MemberAssignment left) {
        if (left.memberEpoch() != STATIC_LEAVE_EPOCH) {
            return left;
        }
        return new MemberAssignment(left.previousMemberEpoch(), left.previousMemberEpoch(), left.state(),
                left.assigned(), left.pendingRevocation());
    }

    private void replaceStaticMember(ConsumerGroup group, String oldId, String newId,
                                     Map<String, PartitionSet> currentTargets, List<CoordinatorRecord> records) {
        String groupId = group.groupId();
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT, groupId, oldId));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER, groupId,
                oldId));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_MEMBER, groupId, oldId));
        PartitionSet oldTarget = currentTargets.remove(oldId);
        if (oldTarget != null) {
            currentTargets.put(newId, oldTarget);
            records.add(ConsumerGroupRecords.target(groupId, newId, oldTarget));
        }
        timers.cancel(groupId, oldId);
        LOG.info("Member {} replaces static member {} of consumer group {}", newId, oldId, groupId);
    }

    private List<CoordinatorRecord> removalRecords(ConsumerGroup group, String memberId) {
        String groupId = group.groupId();
        List<CoordinatorRecord> records = new ArrayList<>();
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_CURRENT_ASSIGNMENT, groupId,
                memberId));
        records.add(ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_MEMBER, groupId, memberId));
        SortedMap<String, ConsumerGroupMember> members = new TreeMap<>(group.members());
        members.remove(memberId);
        targetAssignments.update(group, members, new HashMap<>(group.targets()), true, records);
        return records;
    }
}

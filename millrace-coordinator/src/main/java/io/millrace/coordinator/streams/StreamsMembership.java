package io.millrace.coordinator.streams;

import io.millrace.common.Time;
import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * StreamsGroupHeartbeat as a write operation: join (epoch 0, with the topology), heartbeat and
 * reconcile, leave (-1, or -2 for a static member). Each call returns the records of what
 * changed — group epoch bumped when a member, its process/rack/tags, the topology or the topics
 * it reads change; a new target assignment when the epoch passed it and the topology is ready;
 * the member's reconciled current assignment — and changes nothing itself. Also the member
 * timers (session; revocation within the member's rebalance timeout). Shard thread only.
 */
final class StreamsMembership {
    static final short STALE_TOPOLOGY = 0;
    static final byte SHUTDOWN_APPLICATION = 4;
    static final byte ASSIGNMENT_DELAYED = 5;
    static final byte MISSING_CLIENT_TAGS = 6;
    /** The epoch a static member leaves with (KIP-1071, as KIP-848): it keeps its tasks for a while. */
    static final int LEAVE_STATIC = -2;

    private final StreamsGroupConfig config;
    private final Function<String, StreamsGroup> groups;
    private final TopicsView topics;
    private final CoordinatorTimer timer;
    private final Time time;
    private final LongAdder rebalances;

    StreamsMembership(StreamsGroupConfig config, Function<String, StreamsGroup> groups, TopicsView topics,
                      CoordinatorTimer timer, Time time, LongAdder rebalances) {
        this.config = config;
        this.groups = groups;
        this.topics = topics;
        this.timer = timer;
        this.time = time;
        this.rebalances = rebalances;
    }

    CoordinatorResult<StreamsHeartbeatOutcome> heartbeat(StreamsGroupHeartbeatRequestData request,
                                                         GroupRequestContext client) {
        String invalid = invalid(request);
        if (invalid != null) {
            return error(Errors.INVALID_REQUEST, invalid);
        }
        String groupId = request.groupId();
        String memberId = request.memberId();
        StreamsGroup group = groups.apply(groupId);
        int epoch = request.memberEpoch();
        StreamsMember holder = group == null ? null : group.staticMember(request.instanceId());
        StreamsMember replaced = null;
        if (holder != null && !holder.memberId().equals(memberId)) {
            if (epoch != 0) {
                return error(Errors.FENCED_INSTANCE_ID, "Static instance " + request.instanceId()
                        + " belongs to member " + holder.memberId() + " now.");
            }
            if (group.assignment(holder.memberId()).memberEpoch() != LEAVE_STATIC) {
                return error(Errors.UNRELEASED_INSTANCE_ID, "Static instance " + request.instanceId()
                        + " is still held by member " + holder.memberId() + ".");
            }
            replaced = holder; // it left with epoch -2: the newcomer takes its place and its tasks
        }
        if (epoch < 0) {
            if (group == null || group.member(memberId) == null) {
                return error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + groupId + ".");
            }
            boolean staticLeave = epoch == LEAVE_STATIC && group.member(memberId).instanceId() != null;
            List<CoordinatorRecord> records = staticLeave ? leaveStatic(group, memberId) : remove(group, memberId);
            return new CoordinatorResult<>(records, new StreamsHeartbeatOutcome(new StreamsGroupHeartbeatResponseData()
                    .setMemberId(memberId).setMemberEpoch(epoch).setHeartbeatIntervalMs(0), List.of()));
        }
        StreamsMember previous = group == null ? null : group.member(memberId);
        if (epoch > 0 && previous == null) {
            return error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + groupId + ".");
        }
        if (previous == null && replaced == null && group != null && group.members().size() >= config.maxSize()) {
            return error(Errors.GROUP_MAX_SIZE_REACHED, "The group has reached its maximum size.");
        }
        if (epoch > 0) {
            StreamsMemberAssignment a = group.assignment(memberId);
            if (epoch != a.memberEpoch() && epoch != a.previousMemberEpoch()) {
                return error(Errors.FENCED_MEMBER_EPOCH, "The member epoch " + epoch + " is not the current one, "
                        + a.memberEpoch() + ".");
            }
        }
        boolean wasEmpty = group == null || group.isEmpty();
        if (group == null) {
            group = new StreamsGroup(groupId);
        }
        long now = time.milliseconds();
        List<CoordinatorRecord> records = new ArrayList<>();
        if (replaced != null) {
            previous = replaced.withMemberId(memberId);
            timer.cancel(sessionKey(groupId, replaced.memberId()));
            timer.cancel(revocationKey(groupId, replaced.memberId()));
            records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.CURRENT_ASSIGNMENT, groupId,
                    replaced.memberId()));
            records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.TARGET_MEMBER, groupId, replaced.memberId()));
            records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.MEMBER, groupId, replaced.memberId()));
            records.add(StreamsGroupRecords.target(groupId, memberId, group.target(replaced.memberId())));
        }
        int groupEpoch = group.groupEpoch();
        boolean bump = false;
        StreamsGroupHeartbeatRequestData.Topology topology = group.topology();
        if (request.topology() != null && (topology == null || request.topology().epoch() > topology.epoch())) {
            topology = request.topology();
            records.add(StreamsGroupRecords.topology(groupId, topology));
            bump = true;
        }
        StreamsMember member = updated(previous, request, client);
        Map<String, StreamsMember> members = new LinkedHashMap<>(group.members());
        if (replaced != null) {
            members.remove(replaced.memberId());
        }
        members.put(memberId, member);
        if (!member.equals(previous) || replaced != null) {
            records.add(StreamsGroupRecords.member(groupId, member));
            bump |= previous == null || !Objects.equals(previous.processId(), member.processId())
                    || !Objects.equals(previous.rackId(), member.rackId())
                    || !previous.clientTags().equals(member.clientTags())
                    || previous.topologyEpoch() != member.topologyEpoch()
                    || StreamsTargets.warmupCaughtUp(config, group, memberId, replaced, members);
        }
        ConfiguredTopology configured = topology == null ? null : ConfiguredTopology.of(topology, topics);
        long hash = configured == null ? 0 : configured.topicsHash();
        if (bump || hash != group.topicsHash()) {
            groupEpoch++;
            records.add(StreamsGroupRecords.groupMetadata(groupId, groupEpoch, hash));
            rebalances.increment();
        }
        int targetEpoch = group.assignmentEpoch();
        long notBefore = group.assignmentNotBeforeMs();
        if (wasEmpty && config.initialRebalanceDelayMs() > 0) {
            notBefore = now + config.initialRebalanceDelayMs(); // wait for the others to join first
        }
        String self = replaced == null ? null : replaced.memberId();
        TaskAssignment target = group.target(self != null ? self : memberId);
        boolean delayed = false;
        if (configured != null && (groupEpoch > targetEpoch || group.assignmentPending())) {
            if (now < notBefore) {
                // the previous target stands, at the new epoch, so members keep reconciling (and a
                // newcomer gets an epoch); the real one is computed once the delay has passed
                delayed = true;
                if (groupEpoch > targetEpoch || notBefore != group.assignmentNotBeforeMs()) {
                    targetEpoch = groupEpoch;
                    records.add(StreamsGroupRecords.targetMetadata(groupId, targetEpoch, notBefore, true));
                }
            } else {
                if (groupEpoch == targetEpoch) {
                    groupEpoch++; // the delayed assignment gets an epoch of its own
                    records.add(StreamsGroupRecords.groupMetadata(groupId, groupEpoch, hash));
                }
                // not ready (topics missing): everyone's target is empty, at the new epoch, as in Kafka
                Map<String, TaskAssignment> targets = StreamsTargets.compute(config, group, topology, members, configured, memberId, self);
                StreamsGroup before = group;
                targets.forEach((id, t) -> {
                    TaskAssignment was = before.target(id.equals(memberId) && self != null ? self : id);
                    if (!t.equals(was) || id.equals(memberId) && self != null) {
                        records.add(StreamsGroupRecords.target(groupId, id, t));
                    }
                });
                targetEpoch = groupEpoch;
                notBefore = now + config.assignmentIntervalMs();
                records.add(StreamsGroupRecords.targetMetadata(groupId, targetEpoch, notBefore, false));
                target = targets.getOrDefault(memberId, TaskAssignment.EMPTY);
            }
        }
        StreamsMemberAssignment current;
        if (replaced != null) {
            // the static member comes back: what it held is its own again, at the epoch it left with
            StreamsMemberAssignment left = group.assignment(replaced.memberId());
            current = new StreamsMemberAssignment(left.previousMemberEpoch(), left.previousMemberEpoch(), left.state(),
                    left.active(), left.standby(), left.warmup(), left.pendingRevocation());
        } else {
            // a member rejoining (epoch 0) has dropped every task it had
            current = epoch == 0 ? StreamsMemberAssignment.NONE : group.assignment(memberId);
        }
        Set<String> selves = self == null ? Set.of(memberId) : Set.of(memberId, self);
        StreamsMemberAssignment next = StreamsReconciler.reconcile(group, selves, current, target, targetEpoch,
                request.activeTasks() == null || replaced != null ? null : StreamsWire.tasks(request.activeTasks()));
        if (previous == null || replaced != null || !next.equals(group.assignment(memberId))) {
            records.add(StreamsGroupRecords.currentAssignment(groupId, memberId, next));
        }
        scheduleTimers(groupId, memberId, member.rebalanceTimeoutMs(), next);

        int interval = config.heartbeatIntervalMs(groupId);
        if (delayed) {
            // come back when the assignment may be computed rather than a whole interval later
            interval = (int) Math.max(1, Math.min(interval, notBefore - now));
        }
        StreamsGroupHeartbeatResponseData response = new StreamsGroupHeartbeatResponseData().setMemberId(memberId)
                .setMemberEpoch(next.memberEpoch()).setHeartbeatIntervalMs(interval)
                .setAcceptableRecoveryLagLegacy((int) Math.min(Integer.MAX_VALUE, config.acceptableRecoveryLag()))
                .setAcceptableRecoveryLag(config.acceptableRecoveryLag())
                .setTaskOffsetIntervalMs(config.taskOffsetIntervalMs());
        if (configured != null) {
            configured.problems().forEach(p -> response.status().add(new StreamsGroupHeartbeatResponseData.Status()
                    .setStatusCode(p.code()).setStatusDetail(p.detail())));
        }
        if (delayed) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode(ASSIGNMENT_DELAYED)
                    .setStatusDetail("The assignment is delayed until " + notBefore + " (initial rebalance delay or "
                            + "assignment interval)."));
        }
        List<String> missingTags = config.rackAwareAssignmentTags().stream()
                .filter(t -> !member.clientTags().containsKey(t)).toList();
        if (!missingTags.isEmpty()) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode(MISSING_CLIENT_TAGS)
                    .setStatusDetail("The member lacks the client tags " + missingTags
                            + " that rack-aware standby assignment spreads over."));
        }
        String shutdownBy = group.shutdownRequestedBy() != null ? group.shutdownRequestedBy()
                : member.shutdownRequested() ? memberId : null;
        if (shutdownBy != null) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode(SHUTDOWN_APPLICATION)
                    .setStatusDetail("The application is shutting down, as member " + shutdownBy + " asked."));
        }
        if (topology != null && member.topologyEpoch() < topology.epoch()) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode((byte) STALE_TOPOLOGY)
                    .setStatusDetail("The member's topology epoch " + member.topologyEpoch()
                            + " is older than the group's, " + topology.epoch() + "."));
        }
        if (previous == null || replaced != null || !next.equals(current) || request.activeTasks() != null) {
            response.setActiveTasks(StreamsWire.heartbeatTasks(next.active()))
                    .setStandbyTasks(StreamsWire.heartbeatTasks(next.standby()))
                    .setWarmupTasks(StreamsWire.heartbeatTasks(next.warmup()));
        }
        if (request.endpointInformationEpoch() != group.endpointEpoch()
                && group.members().values().stream().anyMatch(m -> m.endpointHost() != null)) {
            response.setEndpointInformationEpoch(group.endpointEpoch())
                    .setPartitionsByUserEndpoint(StreamsEndpoints.partitionsByEndpoint(group));
        } else {
            response.setEndpointInformationEpoch(group.endpointEpoch());
        }
        List<ConfiguredTopology.TopicToCreate> create = configured == null ? List.of()
                : List.copyOf(configured.missingInternalTopics().values());
        return new CoordinatorResult<>(records, new StreamsHeartbeatOutcome(response, create));
    }

    /**
     * A static member leaving with epoch -2: it stays, its tasks kept for it (its epoch set to -2),
     * until its session times out or a member with its instance id joins and takes its place. No
     * group epoch bump, so no other member takes its tasks meanwhile.
     */
    private List<CoordinatorRecord> leaveStatic(StreamsGroup group, String memberId) {
        timer.cancel(revocationKey(group.groupId(), memberId));
        StreamsMemberAssignment a = group.assignment(memberId);
        int kept = a.memberEpoch() >= 0 ? a.memberEpoch() : a.previousMemberEpoch();
        return List.of(StreamsGroupRecords.currentAssignment(group.groupId(), memberId, new StreamsMemberAssignment(
                LEAVE_STATIC, kept, a.state(), a.active(), a.standby(), a.warmup(), a.pendingRevocation())));
    }

    /** The records removing a member (leave, session or revocation timeout); bumps the group epoch. */
    List<CoordinatorRecord> remove(StreamsGroup group, String memberId) {
        String groupId = group.groupId();
        timer.cancel(sessionKey(groupId, memberId));
        timer.cancel(revocationKey(groupId, memberId));
        List<CoordinatorRecord> records = new ArrayList<>();
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.CURRENT_ASSIGNMENT, groupId, memberId));
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.TARGET_MEMBER, groupId, memberId));
        records.add(StreamsGroupRecords.tombstone(StreamsGroupRecords.MEMBER, groupId, memberId));
        records.add(StreamsGroupRecords.groupMetadata(groupId, group.groupEpoch() + 1, group.topicsHash()));
        rebalances.increment();
        // the others' targets are recomputed on their next heartbeat, which sees the bumped epoch
        return records;
    }

    CoordinatorResult<Void> removeOnTimeout(String groupId, String memberId) {
        StreamsGroup group = groups.apply(groupId);
        if (group == null || group.member(memberId) == null) {
            return new CoordinatorResult<>(List.of(), null);
        }
        return new CoordinatorResult<>(remove(group, memberId), null);
    }

    void afterLoad(StreamsGroup group) {
        group.members().forEach((id, m) -> scheduleTimers(group.groupId(), id, m.rebalanceTimeoutMs(),
                group.assignment(id)));
    }

    private void scheduleTimers(String groupId, String memberId, int rebalanceTimeoutMs, StreamsMemberAssignment a) {
        timer.schedule(sessionKey(groupId, memberId), config.sessionTimeoutMs(groupId),
                () -> removeOnTimeout(groupId, memberId));
        if (a.state() != StreamsMemberAssignment.State.UNREVOKED_TASKS) {
            timer.cancel(revocationKey(groupId, memberId));
        } else if (!timer.isScheduled(revocationKey(groupId, memberId))) {
            timer.schedule(revocationKey(groupId, memberId), Math.max(rebalanceTimeoutMs, 0), () -> {
                StreamsGroup g = groups.apply(groupId);
                boolean stillRevoking = g != null && g.member(memberId) != null
                        && g.assignment(memberId).state() == StreamsMemberAssignment.State.UNREVOKED_TASKS;
                return stillRevoking ? removeOnTimeout(groupId, memberId) : new CoordinatorResult<>(List.of(), null);
            });
        }
    }

    static String sessionKey(String groupId, String memberId) {
        return "streams-session/" + groupId + "/" + memberId;
    }

    static String revocationKey(String groupId, String memberId) {
        return "streams-revocation/" + groupId + "/" + memberId;
    }

    private static StreamsMember updated(StreamsMember previous, StreamsGroupHeartbeatRequestData r,
                                         GroupRequestContext client) {
        String processId = r.processId() != null ? r.processId() : previous == null ? null : previous.processId();
        Map<String, String> tags = new HashMap<>();
        if (r.clientTags() != null) {
            r.clientTags().forEach(kv -> tags.put(kv.key(), kv.value()));
        } else if (previous != null) {
            tags.putAll(previous.clientTags());
        }
        String host = previous == null ? null : previous.endpointHost();
        int port = previous == null ? 0 : previous.endpointPort();
        if (r.userEndpoint() != null) {
            host = r.userEndpoint().host();
            port = r.userEndpoint().port();
        }
        Map<TaskId, Long> offsets = r.taskOffsets() != null ? offsets(r.taskOffsets())
                : previous == null ? Map.of() : previous.taskOffsets();
        Map<TaskId, Long> endOffsets = r.taskEndOffsets() != null ? offsets(r.taskEndOffsets())
                : previous == null ? Map.of() : previous.taskEndOffsets();
        boolean shutdown = r.shutdownApplication() || previous != null && previous.shutdownRequested();
        return new StreamsMember(r.memberId(),
                r.instanceId() != null ? r.instanceId() : previous == null ? null : previous.instanceId(),
                r.rackId() != null ? r.rackId() : previous == null ? null : previous.rackId(),
                client.clientId(), client.clientHost(),
                r.rebalanceTimeoutMs() > 0 ? r.rebalanceTimeoutMs() : previous == null ? 300_000 : previous.rebalanceTimeoutMs(),
                r.topology() != null ? r.topology().epoch() : previous == null ? 0 : previous.topologyEpoch(),
                processId, host, port, tags, offsets, endOffsets, shutdown);
    }

    private static Map<TaskId, Long> offsets(List<StreamsGroupHeartbeatRequestData.TaskOffset> offsets) {
        Map<TaskId, Long> out = new HashMap<>();
        offsets.forEach(o -> out.put(new TaskId(o.subtopologyId(), o.partition()), o.offset()));
        return out;
    }

    private static String invalid(StreamsGroupHeartbeatRequestData r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (r.memberId() == null || r.memberId().isEmpty()) {
            return "MemberId can't be empty.";
        }
        if (r.memberEpoch() == 0) {
            if (r.topology() == null) {
                return "Topology must be non-null when joining the group.";
            }
            if (r.processId() == null || r.processId().isEmpty()) {
                return "ProcessId must be non-empty when joining the group.";
            }
            if (r.rebalanceTimeoutMs() <= 0) {
                return "RebalanceTimeoutMs must be provided when joining the group.";
            }
            if (r.activeTasks() == null || r.standbyTasks() == null || r.warmupTasks() == null) {
                return "Owned tasks must be provided when joining the group.";
            }
        } else if (r.memberEpoch() < -2) {
            return "MemberEpoch is invalid.";
        }
        return null;
    }

    private static CoordinatorResult<StreamsHeartbeatOutcome> error(Errors error, String message) {
        return CoordinatorResult.of(new StreamsHeartbeatOutcome(new StreamsGroupHeartbeatResponseData()
                .setErrorCode(error.code()).setErrorMessage(message), List.of()));
    }
}

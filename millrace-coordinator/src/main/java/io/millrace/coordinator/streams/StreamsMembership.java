package io.millrace.coordinator.streams;

import io.millrace.coordinator.GroupRequestContext;
import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorResult;
import io.millrace.coordinator.runtime.CoordinatorTimer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final StreamsGroupConfig config;
    private final Function<String, StreamsGroup> groups;
    private final TopicsView topics;
    private final CoordinatorTimer timer;

    StreamsMembership(StreamsGroupConfig config, Function<String, StreamsGroup> groups, TopicsView topics,
                      CoordinatorTimer timer) {
        this.config = config;
        this.groups = groups;
        this.topics = topics;
        this.timer = timer;
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
        if (epoch < 0) {
            if (group == null || group.member(memberId) == null) {
                return error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + groupId + ".");
            }
            List<CoordinatorRecord> records = remove(group, memberId);
            return new CoordinatorResult<>(records, new StreamsHeartbeatOutcome(new StreamsGroupHeartbeatResponseData()
                    .setMemberId(memberId).setMemberEpoch(epoch).setHeartbeatIntervalMs(0), List.of()));
        }
        StreamsMember previous = group == null ? null : group.member(memberId);
        if (epoch > 0 && previous == null) {
            return error(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not in group " + groupId + ".");
        }
        if (previous == null && group != null && group.members().size() >= config.maxSize()) {
            return error(Errors.GROUP_MAX_SIZE_REACHED, "The group has reached its maximum size.");
        }
        if (epoch > 0) {
            StreamsMemberAssignment a = group.assignment(memberId);
            if (epoch != a.memberEpoch() && epoch != a.previousMemberEpoch()) {
                return error(Errors.FENCED_MEMBER_EPOCH, "The member epoch " + epoch + " is not the current one, "
                        + a.memberEpoch() + ".");
            }
        }
        if (group == null) {
            group = new StreamsGroup(groupId);
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        int groupEpoch = group.groupEpoch();
        boolean bump = false;
        StreamsGroupHeartbeatRequestData.Topology topology = group.topology();
        if (request.topology() != null && (topology == null || request.topology().epoch() > topology.epoch())) {
            topology = request.topology();
            records.add(StreamsGroupRecords.topology(groupId, topology));
            bump = true;
        }
        StreamsMember member = updated(previous, request, client);
        if (!member.equals(previous)) {
            records.add(StreamsGroupRecords.member(groupId, member));
            bump |= previous == null || !Objects.equals(previous.processId(), member.processId())
                    || !Objects.equals(previous.rackId(), member.rackId())
                    || !previous.clientTags().equals(member.clientTags())
                    || previous.topologyEpoch() != member.topologyEpoch();
        }
        ConfiguredTopology configured = topology == null ? null : ConfiguredTopology.of(topology, topics);
        long hash = configured == null ? 0 : configured.topicsHash();
        if (bump || hash != group.topicsHash()) {
            groupEpoch++;
            records.add(StreamsGroupRecords.groupMetadata(groupId, groupEpoch, hash));
        }
        Map<String, StreamsMember> members = new LinkedHashMap<>(group.members());
        members.put(memberId, member);
        int targetEpoch = group.assignmentEpoch();
        TaskAssignment target = group.target(memberId);
        if (configured != null && groupEpoch > targetEpoch) {
            // not ready (topics missing): everyone's target is empty, at the new epoch, as in Kafka
            Map<String, TaskAssignment> targets = newTargets(group, members, configured);
            StreamsGroup before = group;
            targets.forEach((id, t) -> {
                if (!t.equals(before.target(id))) {
                    records.add(StreamsGroupRecords.target(groupId, id, t));
                }
            });
            targetEpoch = groupEpoch;
            records.add(StreamsGroupRecords.targetMetadata(groupId, targetEpoch));
            target = targets.getOrDefault(memberId, TaskAssignment.EMPTY);
        }
        // a member rejoining (epoch 0) has dropped every task it had
        StreamsMemberAssignment current = epoch == 0 ? StreamsMemberAssignment.NONE : group.assignment(memberId);
        StreamsMemberAssignment next = StreamsReconciler.reconcile(group, memberId, current, target, targetEpoch,
                request.activeTasks() == null ? null : StreamsWire.tasks(request.activeTasks()));
        if (previous == null || !next.equals(group.assignment(memberId))) {
            records.add(StreamsGroupRecords.currentAssignment(groupId, memberId, next));
        }
        scheduleTimers(groupId, memberId, member.rebalanceTimeoutMs(), next);

        StreamsGroupHeartbeatResponseData response = new StreamsGroupHeartbeatResponseData().setMemberId(memberId)
                .setMemberEpoch(next.memberEpoch()).setHeartbeatIntervalMs(config.heartbeatIntervalMs(groupId))
                .setAcceptableRecoveryLagLegacy((int) Math.min(Integer.MAX_VALUE, config.acceptableRecoveryLag()))
                .setAcceptableRecoveryLag(config.acceptableRecoveryLag())
                .setTaskOffsetIntervalMs(config.taskOffsetIntervalMs());
        if (configured != null) {
            configured.problems().forEach(p -> response.status().add(new StreamsGroupHeartbeatResponseData.Status()
                    .setStatusCode(p.code()).setStatusDetail(p.detail())));
        }
        if (request.shutdownApplication() && groups.apply(groupId) != null) {
            group.requestShutdown(memberId); // transient, like Kafka's: every member is told to shut down
        }
        if (group.shutdownRequestedBy() != null) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode(SHUTDOWN_APPLICATION)
                    .setStatusDetail("The application is shutting down, as member " + group.shutdownRequestedBy()
                            + " asked."));
        }
        if (topology != null && member.topologyEpoch() < topology.epoch()) {
            response.status().add(new StreamsGroupHeartbeatResponseData.Status().setStatusCode((byte) STALE_TOPOLOGY)
                    .setStatusDetail("The member's topology epoch " + member.topologyEpoch()
                            + " is older than the group's, " + topology.epoch() + "."));
        }
        if (previous == null || !next.equals(current) || request.activeTasks() != null) {
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

    private Map<String, TaskAssignment> newTargets(StreamsGroup group, Map<String, StreamsMember> members,
                                                   ConfiguredTopology configured) {
        if (!configured.ready()) {
            Map<String, TaskAssignment> empty = new HashMap<>();
            members.keySet().forEach(id -> empty.put(id, TaskAssignment.EMPTY));
            return empty;
        }
        List<StickyTaskAssignor.Member> in = new ArrayList<>();
        members.forEach((id, m) -> in.add(new StickyTaskAssignor.Member(id, m.processId(), group.target(id))));
        return new HashMap<>(StickyTaskAssignor.assign(configured.tasksPerSubtopology(), in,
                config.numStandbyReplicas(group.groupId())));
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
        return new StreamsMember(r.memberId(),
                r.instanceId() != null ? r.instanceId() : previous == null ? null : previous.instanceId(),
                r.rackId() != null ? r.rackId() : previous == null ? null : previous.rackId(),
                client.clientId(), client.clientHost(),
                r.rebalanceTimeoutMs() > 0 ? r.rebalanceTimeoutMs() : previous == null ? 300_000 : previous.rebalanceTimeoutMs(),
                r.topology() != null ? r.topology().epoch() : previous == null ? 0 : previous.topologyEpoch(),
                processId, host, port, tags);
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

package io.millrace.coordinator.streams;

import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;

/**
 * The target assignment of a streams group as the heartbeat computes it: the members, their lags
 * ({@link TaskLags}) and client tags, and the group's settings handed to the
 * {@link StickyTaskAssignor}; and when a member's reported offsets call for a new one (a warm-up
 * caught up). Stateless.
 */
final class StreamsTargets {
    private StreamsTargets() {
    }

    /**
     * The new target of every member ({@code replacedId}: the static member whose place
     * {@code memberId} takes, whose previous target counts as the newcomer's).
     */
    static Map<String, TaskAssignment> compute(StreamsGroupConfig config, StreamsGroup group, Topology topology,
                                               Map<String, StreamsMember> members, ConfiguredTopology configured,
                                               String memberId, String replacedId) {
        if (!configured.ready()) {
            Map<String, TaskAssignment> empty = new HashMap<>();
            members.keySet().forEach(id -> empty.put(id, TaskAssignment.EMPTY));
            return empty;
        }
        Map<String, Map<TaskId, Long>> lags = TaskLags.of(members.values());
        List<StickyTaskAssignor.Member> in = new ArrayList<>();
        members.forEach((id, m) -> in.add(new StickyTaskAssignor.Member(id, m.processId(),
                group.target(id.equals(memberId) && replacedId != null ? replacedId : id), m.clientTags(),
                lags.getOrDefault(id, Map.of()))));
        Set<String> stateful = new TreeSet<>();
        topology.subtopologies().forEach(s -> {
            if (!s.stateChangelogTopics().isEmpty()) {
                stateful.add(s.subtopologyId());
            }
        });
        StickyTaskAssignor.Settings settings = new StickyTaskAssignor.Settings(
                config.numStandbyReplicas(group.groupId()), config.numWarmupReplicas(), config.acceptableRecoveryLag(),
                stateful, config.rackAwareAssignmentTags());
        return new HashMap<>(StickyTaskAssignor.assign(configured.tasksPerSubtopology(), in, settings));
    }

    /**
     * Whether the offsets this member just reported make one of its warm-up tasks caught up that
     * was not: the group epoch is bumped so the next assignment hands it the active task.
     */
    static boolean warmupCaughtUp(StreamsGroupConfig config, StreamsGroup group, String memberId, StreamsMember replaced,
                                  Map<String, StreamsMember> members) {
        TaskAssignment target = group.target(replaced != null ? replaced.memberId() : memberId);
        if (target.warmup().isEmpty()) {
            return false;
        }
        Map<TaskId, Long> before = TaskLags.of(group.members().values()).getOrDefault(
                replaced != null ? replaced.memberId() : memberId, Map.of());
        Map<TaskId, Long> after = TaskLags.of(members.values()).getOrDefault(memberId, Map.of());
        long acceptable = config.acceptableRecoveryLag();
        for (TaskId t : target.warmup().all()) {
            Long now = after.get(t);
            Long was = before.get(t);
            if (now != null && now <= acceptable && (was == null || was > acceptable)) {
                return true;
            }
        }
        return false;
    }

}

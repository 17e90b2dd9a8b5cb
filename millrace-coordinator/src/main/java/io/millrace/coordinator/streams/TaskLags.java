package io.millrace.coordinator.streams;

import io.millrace.coordinator.streams.Tasks.TaskId;
import java.util.HashMap;
import java.util.Map;

/**
 * How far each member is behind on the tasks it has state for, from the task offsets and end
 * offsets members report in their heartbeats ({@code TaskOffsets}, {@code TaskEndOffsets}): a
 * task's end is the greatest end offset (or offset) any member reported for it, a member's lag
 * the distance from its offset to that end. A negative offset other than -2 means "unknown";
 * -2 is Kafka Streams' "latest", a running active task, so no lag. Stateless.
 */
final class TaskLags {
    private static final long LATEST = -2L;

    private TaskLags() {
    }

    static Map<String, Map<TaskId, Long>> of(Iterable<StreamsMember> members) {
        Map<TaskId, Long> end = new HashMap<>();
        for (StreamsMember m : members) {
            m.taskEndOffsets().forEach((t, o) -> end.merge(t, o, Math::max));
            m.taskOffsets().forEach((t, o) -> end.merge(t, o, Math::max));
        }
        Map<String, Map<TaskId, Long>> out = new HashMap<>();
        for (StreamsMember m : members) {
            Map<TaskId, Long> lags = new HashMap<>();
            m.taskOffsets().forEach((t, o) -> {
                if (o == LATEST) {
                    lags.put(t, 0L);
                } else if (o >= 0) {
                    lags.put(t, Math.max(0L, end.getOrDefault(t, o) - o));
                }
            });
            out.put(m.memberId(), lags);
        }
        return out;
    }
}

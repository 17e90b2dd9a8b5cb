package io.millrace.coordinator.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;

/** Conversions between {@link Tasks} and the generated messages' task lists. Stateless. */
final class StreamsWire {
    private StreamsWire() {
    }

    static Tasks tasks(List<StreamsGroupHeartbeatRequestData.TaskIds> ids) {
        Map<String, List<Integer>> map = new TreeMap<>();
        ids.forEach(t -> map.computeIfAbsent(t.subtopologyId(), k -> new ArrayList<>()).addAll(t.partitions()));
        return Tasks.of(map);
    }

    static List<StreamsGroupHeartbeatResponseData.TaskIds> heartbeatTasks(Tasks tasks) {
        List<StreamsGroupHeartbeatResponseData.TaskIds> out = new ArrayList<>();
        tasks.forEach((id, ps) -> out.add(new StreamsGroupHeartbeatResponseData.TaskIds().setSubtopologyId(id)
                .setPartitions(new ArrayList<>(ps))));
        return out;
    }

    static List<StreamsGroupDescribeResponseData.TaskIds> describeTasks(Tasks tasks) {
        List<StreamsGroupDescribeResponseData.TaskIds> out = new ArrayList<>();
        tasks.forEach((id, ps) -> out.add(new StreamsGroupDescribeResponseData.TaskIds().setSubtopologyId(id)
                .setPartitions(new ArrayList<>(ps))));
        return out;
    }
}

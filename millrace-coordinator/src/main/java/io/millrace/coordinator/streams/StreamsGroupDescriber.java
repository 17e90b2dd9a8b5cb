package io.millrace.coordinator.streams;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.KeyValue;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;

/** StreamsGroupDescribe of one group, from its replayed state. Stateless. */
final class StreamsGroupDescriber {
    private StreamsGroupDescriber() {
    }

    static DescribedGroup describe(StreamsGroup group, StreamsGroup.State state) {
        DescribedGroup out = new DescribedGroup().setGroupId(group.groupId()).setGroupState(state.displayName)
                .setGroupEpoch(group.groupEpoch()).setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName("sticky");
        if (group.topology() != null) {
            StreamsGroupDescribeResponseData.Topology topology = new StreamsGroupDescribeResponseData.Topology()
                    .setEpoch(group.topology().epoch()).setSubtopologies(new ArrayList<>());
            for (StreamsGroupHeartbeatRequestData.Subtopology s : group.topology().subtopologies()) {
                topology.subtopologies().add(new StreamsGroupDescribeResponseData.Subtopology()
                        .setSubtopologyId(s.subtopologyId()).setSourceTopics(new ArrayList<>(s.sourceTopics()))
                        .setRepartitionSinkTopics(new ArrayList<>(s.repartitionSinkTopics()))
                        .setStateChangelogTopics(topics(s.stateChangelogTopics()))
                        .setRepartitionSourceTopics(topics(s.repartitionSourceTopics())));
            }
            out.setTopology(topology);
        }
        group.members().forEach((id, m) -> {
            StreamsMemberAssignment a = group.assignment(id);
            TaskAssignment t = group.target(id);
            StreamsGroupDescribeResponseData.Member member = new StreamsGroupDescribeResponseData.Member()
                    .setMemberId(id).setMemberEpoch(a.memberEpoch()).setInstanceId(m.instanceId())
                    .setRackId(m.rackId()).setClientId(m.clientId()).setClientHost(m.clientHost())
                    .setTopologyEpoch(m.topologyEpoch()).setProcessId(m.processId())
                    .setAssignment(new StreamsGroupDescribeResponseData.Assignment()
                            .setActiveTasks(StreamsWire.describeTasks(a.active()))
                            .setStandbyTasks(StreamsWire.describeTasks(a.standby()))
                            .setWarmupTasks(StreamsWire.describeTasks(a.warmup())))
                    .setTargetAssignment(new StreamsGroupDescribeResponseData.Assignment()
                            .setActiveTasks(StreamsWire.describeTasks(t.active()))
                            .setStandbyTasks(StreamsWire.describeTasks(t.standby()))
                            .setWarmupTasks(StreamsWire.describeTasks(t.warmup())));
            if (m.endpointHost() != null) {
                member.setUserEndpoint(new StreamsGroupDescribeResponseData.Endpoint().setHost(m.endpointHost())
                        .setPort(m.endpointPort()));
            }
            m.clientTags().forEach((k, v) -> member.clientTags().add(new KeyValue().setKey(k).setValue(v)));
            out.members().add(member);
        });
        return out;
    }

    private static List<StreamsGroupDescribeResponseData.TopicInfo> topics(
            List<StreamsGroupHeartbeatRequestData.TopicInfo> infos) {
        List<StreamsGroupDescribeResponseData.TopicInfo> out = new ArrayList<>();
        for (StreamsGroupHeartbeatRequestData.TopicInfo t : infos) {
            StreamsGroupDescribeResponseData.TopicInfo info = new StreamsGroupDescribeResponseData.TopicInfo()
                    .setName(t.name()).setPartitions(t.partitions()).setReplicationFactor(t.replicationFactor());
            t.topicConfigs().forEach(kv -> info.topicConfigs().add(new KeyValue().setKey(kv.key()).setValue(kv.value())));
            out.add(info);
        }
        return out;
    }
}

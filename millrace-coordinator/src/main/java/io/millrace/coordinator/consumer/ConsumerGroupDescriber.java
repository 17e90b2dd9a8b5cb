package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicsView;
import io.millrace.coordinator.TopicsView.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;

/**
 * Builds ConsumerGroupDescribe's view of a group. Topic names come from the current metadata,
 * else from the names the group last saw; a partition of a topic known by neither is left out.
 *
 * <p>Stateless apart from the view it reads; used on its shard's thread.
 */
final class ConsumerGroupDescriber {
    /** ConsumerGroupDescribe v1's member type of a consumer-protocol member. */
    private static final byte CONSUMER_MEMBER = 1;

    private final TopicsView topics;
    private final TargetAssignments targetAssignments;

    ConsumerGroupDescriber(TopicsView topics, TargetAssignments targetAssignments) {
        this.topics = topics;
        this.targetAssignments = targetAssignments;
    }

    DescribedGroup describe(ConsumerGroup group) {
        DescribedGroup described = new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.state().displayName())
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(targetAssignments.selectAssignor(group.members()).name());
        group.members().forEach((memberId, member) -> {
            MemberAssignment assignment = group.assignment(memberId);
            described.members().add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(memberId)
                    .setInstanceId(member.instanceId())
                    .setRackId(member.rackId())
                    .setMemberEpoch(assignment.memberEpoch())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                    .setSubscribedTopicRegex(member.subscribedTopicRegex())
                    .setAssignment(assignment(group, assignment.assigned()))
                    .setTargetAssignment(assignment(group, group.target(memberId)))
                    .setMemberType(CONSUMER_MEMBER));
        });
        return described;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(ConsumerGroup group, PartitionSet partitions) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> list = new ArrayList<>();
        partitions.asMap().forEach((topicId, ids) -> topicName(group, topicId).ifPresent(name ->
                list.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(topicId).setTopicName(name).setPartitions(new ArrayList<>(ids)))));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(list);
    }

    private Optional<String> topicName(ConsumerGroup group, Uuid topicId) {
        return topics.byId(topicId).map(TopicInfo::name).or(() -> group.subscriptionMetadata().stream()
                .filter(t -> t.id().equals(topicId)).map(TopicInfo::name).findFirst());
    }
}

package io.millrace.server.handlers;

import io.millrace.server.api.Authorization;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka 4.x's topic check on a described group: a consumer or share group whose members'
 * assignments (a consumer member's target assignment too), or a streams group whose topology,
 * name a topic the principal may not DESCRIBE is answered TOPIC_AUTHORIZATION_FAILED, with Kafka's
 * message, instead of being described, so a group does not reveal topics its describer cannot see.
 * Stateless.
 */
final class DescribedGroupTopics {
    static final String GROUP_MESSAGE = "The group has described topic(s) that the client is not authorized to describe.";
    static final String STREAMS_MESSAGE = "The described group uses topics that the client is not authorized to describe.";

    private DescribedGroupTopics() {
    }

    static ConsumerGroupDescribeResponseData.DescribedGroup checked(
            Authorization authorization, ConsumerGroupDescribeResponseData.DescribedGroup group) {
        if (!authorization.enabled() || group.errorCode() != Errors.NONE.code()) {
            return group;
        }
        Collection<String> topics = new TreeSet<>();
        group.members().forEach(m -> {
            if (m.assignment() != null) {
                m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topicName()));
            }
            if (m.targetAssignment() != null) {
                m.targetAssignment().topicPartitions().forEach(tp -> topics.add(tp.topicName()));
            }
        });
        return describable(authorization, topics) ? group : new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(group.groupId()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(GROUP_MESSAGE);
    }

    static ShareGroupDescribeResponseData.DescribedGroup checked(
            Authorization authorization, ShareGroupDescribeResponseData.DescribedGroup group) {
        if (!authorization.enabled() || group.errorCode() != Errors.NONE.code()) {
            return group;
        }
        Collection<String> topics = new TreeSet<>();
        group.members().forEach(m -> {
            if (m.assignment() != null) {
                m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topicName()));
            }
        });
        return describable(authorization, topics) ? group : new ShareGroupDescribeResponseData.DescribedGroup()
                .setGroupId(group.groupId()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(GROUP_MESSAGE);
    }

    static StreamsGroupDescribeResponseData.DescribedGroup checked(
            Authorization authorization, StreamsGroupDescribeResponseData.DescribedGroup group) {
        if (!authorization.enabled() || group.errorCode() != Errors.NONE.code() || group.topology() == null
                || group.topology().subtopologies() == null) {
            return group;
        }
        Collection<String> topics = new TreeSet<>();
        group.topology().subtopologies().forEach(s -> {
            topics.addAll(s.sourceTopics());
            topics.addAll(s.repartitionSinkTopics());
            s.repartitionSourceTopics().forEach(t -> topics.add(t.name()));
            s.stateChangelogTopics().forEach(t -> topics.add(t.name()));
        });
        return describable(authorization, topics) ? group : new StreamsGroupDescribeResponseData.DescribedGroup()
                .setGroupId(group.groupId()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(STREAMS_MESSAGE);
    }

    private static boolean describable(Authorization authorization, Collection<String> topics) {
        boolean all = true;
        for (String topic : topics) { // every denial is logged, as Kafka's filter logs each
            all &= authorization.allowsTopic(AclOperation.DESCRIBE, topic);
        }
        return all;
    }
}

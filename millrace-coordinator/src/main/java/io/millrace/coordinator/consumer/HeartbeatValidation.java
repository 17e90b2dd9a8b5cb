package io.millrace.coordinator.consumer;

import io.millrace.coordinator.GroupRequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The checks a ConsumerGroupHeartbeat must pass before it touches a group, and the translation
 * between its fields and ours. A heartbeat sends a field only when it changed (null otherwise),
 * except when joining, which sends them all.
 *
 * <p>Stateless and thread-safe.
 */
final class HeartbeatValidation {
    private HeartbeatValidation() {
    }

    /** Throws the ApiException the request must be answered with, if any. */
    static void validate(ConsumerGroupHeartbeatRequestData request, ConsumerGroupConfig config,
                         SubscriptionResolver resolver) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            throw Errors.INVALID_REQUEST.exception("GroupId can't be empty.");
        }
        int epoch = request.memberEpoch();
        if (epoch < GroupMembership.STATIC_LEAVE_EPOCH) {
            throw Errors.INVALID_REQUEST.exception("MemberEpoch " + epoch + " is invalid.");
        }
        if (epoch != 0 && (request.memberId() == null || request.memberId().isEmpty())) {
            throw Errors.INVALID_REQUEST.exception("MemberId can't be empty.");
        }
        if (epoch == GroupMembership.STATIC_LEAVE_EPOCH && request.instanceId() == null) {
            throw Errors.INVALID_REQUEST.exception("InstanceId can't be null when a static member leaves for now.");
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw Errors.INVALID_REQUEST.exception("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw Errors.INVALID_REQUEST.exception("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw Errors.INVALID_REQUEST.exception(
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        }
        String assignor = request.serverAssignor();
        if (assignor != null && !assignor.isEmpty() && config.assignor(assignor).isEmpty()) {
            throw Errors.UNSUPPORTED_ASSIGNOR.exception("ServerAssignor " + assignor + " is not supported. "
                    + "Supported assignors: " + config.assignors().stream().map(ConsumerGroupAssignor::name)
                    .collect(Collectors.joining(", ")) + ".");
        }
        String regex = request.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty() && !resolver.isValid(regex)) {
            throw Errors.INVALID_REGULAR_EXPRESSION.exception("SubscribedTopicRegex " + regex + " is not a valid "
                    + "regular expression.");
        }
    }

    /**
     * The member as this heartbeat leaves it: each field the request carries replaces the one
     * known; an empty regex or assignor clears it.
     */
    static ConsumerGroupMember updatedMember(ConsumerGroupMember existing, String memberId,
                                             ConsumerGroupHeartbeatRequestData request, GroupRequestContext client) {
        String instanceId = request.instanceId() != null ? request.instanceId()
                : existing == null ? null : existing.instanceId();
        String rackId = request.rackId() != null ? emptyToNull(request.rackId())
                : existing == null ? null : existing.rackId();
        List<String> topics = request.subscribedTopicNames() != null ? request.subscribedTopicNames()
                : existing == null ? List.of() : existing.subscribedTopicNames();
        String regex = request.subscribedTopicRegex() != null ? emptyToNull(request.subscribedTopicRegex())
                : existing == null ? null : existing.subscribedTopicRegex();
        String assignor = request.serverAssignor() != null ? emptyToNull(request.serverAssignor())
                : existing == null ? null : existing.serverAssignor();
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs()
                : existing == null ? 0 : existing.rebalanceTimeoutMs();
        return new ConsumerGroupMember(memberId, instanceId, rackId, client.clientId(), client.clientHost(), topics,
                regex, assignor, rebalanceTimeoutMs);
    }

    /** A request carrying every field, as after a join or an error: it gets the whole assignment back. */
    static boolean isFullRequest(ConsumerGroupHeartbeatRequestData request) {
        return request.rebalanceTimeoutMs() != -1
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null)
                && request.topicPartitions() != null;
    }

    /** The partitions a request reports, or null when it does not report them. */
    static PartitionSet partitions(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics) {
        if (topics == null) {
            return null;
        }
        PartitionSet.Builder builder = PartitionSet.builder();
        topics.forEach(t -> builder.addAll(t.topicId(), t.partitions()));
        return builder.build();
    }

    static ConsumerGroupHeartbeatResponseData.Assignment assignment(PartitionSet partitions) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> topics = new ArrayList<>();
        partitions.asMap().forEach((topic, ids) -> topics.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(ids))));
        return new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(topics);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

package io.millrace.coordinator.consumer;

import java.util.List;
import java.util.Objects;

/**
 * What a member told the coordinator about itself (its member record): identity, client, and
 * subscription. The assignment lives apart ({@link MemberAssignment}), as it changes on its own.
 *
 * @param memberId             chosen by the client (v1+) or the coordinator (v0)
 * @param instanceId           {@code group.instance.id} of a static member, else null
 * @param rackId               the client's rack, or null
 * @param clientId             the client id of its last heartbeat's connection
 * @param clientHost           the address of its last heartbeat's connection
 * @param subscribedTopicNames subscribed topic names, sorted; may be empty
 * @param subscribedTopicRegex subscribed topic pattern, or null
 * @param serverAssignor       the assignor the member asks for, or null
 * @param rebalanceTimeoutMs   how long the member may take to revoke partitions
 */
public record ConsumerGroupMember(String memberId, String instanceId, String rackId, String clientId,
                                  String clientHost, List<String> subscribedTopicNames,
                                  String subscribedTopicRegex, String serverAssignor, int rebalanceTimeoutMs) {
    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "memberId");
        clientId = Objects.requireNonNullElse(clientId, "");
        clientHost = Objects.requireNonNullElse(clientHost, "");
        subscribedTopicNames = subscribedTopicNames.stream().sorted().distinct().toList();
    }

    /** True when the subscription or the assignor differs, which needs a new target assignment. */
    public boolean subscriptionDiffers(ConsumerGroupMember other) {
        return !subscribedTopicNames.equals(other.subscribedTopicNames)
                || !Objects.equals(subscribedTopicRegex, other.subscribedTopicRegex)
                || !Objects.equals(serverAssignor, other.serverAssignor);
    }

    public ConsumerGroupMember withMemberId(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                subscribedTopicRegex, serverAssignor, rebalanceTimeoutMs);
    }
}

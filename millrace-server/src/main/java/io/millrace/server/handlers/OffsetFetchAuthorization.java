package io.millrace.server.handlers;

import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.Authorization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch's authorization, as Kafka's: a group needs DESCRIBE (else the group answers
 * GROUP_AUTHORIZATION_FAILED); a requested topic needs DESCRIBE (else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED); a request for all topics leaves out those the principal may not
 * describe. Stateless.
 */
final class OffsetFetchAuthorization {
    private OffsetFetchAuthorization() {
    }

    /**
     * Fetches through {@code fetcher} (batched groups in, the same groups' results out, in order)
     * only what the principal may see, and fills in the rest with its errors.
     */
    static CompletableFuture<List<OffsetFetchResponseGroup>> fetch(
            Authorization authorization, TopicNameResolver topics, List<OffsetFetchRequestGroup> groups,
            Function<List<OffsetFetchRequestGroup>, CompletableFuture<List<OffsetFetchResponseGroup>>> fetcher) {
        if (!authorization.enabled()) {
            return fetcher.apply(groups);
        }
        List<OffsetFetchRequestGroup> allowedGroups = new ArrayList<>();
        List<List<OffsetFetchRequestTopics>> deniedTopics = new ArrayList<>();
        for (OffsetFetchRequestGroup group : groups) {
            List<OffsetFetchRequestTopics> denied = new ArrayList<>();
            deniedTopics.add(denied);
            if (!authorization.allowsGroup(AclOperation.DESCRIBE, group.groupId())) {
                continue;
            }
            if (group.topics() == null) {
                allowedGroups.add(group);
                continue;
            }
            List<OffsetFetchRequestTopics> allowed = new ArrayList<>();
            for (OffsetFetchRequestTopics topic : group.topics()) {
                String name = topics.nameOf(topic.name(), topic.topicId());
                (name == null || authorization.allowsTopic(AclOperation.DESCRIBE, name) ? allowed : denied).add(topic);
            }
            allowedGroups.add(denied.isEmpty() ? group : group.duplicate().setTopics(allowed));
        }
        CompletableFuture<List<OffsetFetchResponseGroup>> fetched = allowedGroups.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : fetcher.apply(allowedGroups);
        return fetched.thenApply(results -> {
            List<OffsetFetchResponseGroup> out = new ArrayList<>(groups.size());
            int next = 0;
            for (int i = 0; i < groups.size(); i++) {
                OffsetFetchRequestGroup group = groups.get(i);
                boolean allowed = next < allowedGroups.size() && allowedGroups.get(next).groupId().equals(group.groupId());
                if (!allowed) {
                    out.add(new OffsetFetchResponseGroup().setGroupId(group.groupId())
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                OffsetFetchResponseGroup result = results.get(next++);
                if (group.topics() == null) {
                    result.topics().removeIf(t -> !mayDescribe(authorization, topics.nameOf(t.name(), t.topicId())));
                }
                deniedTopics.get(i).forEach(t -> result.topics().add(unauthorized(t)));
                out.add(result);
            }
            return out;
        });
    }

    private static boolean mayDescribe(Authorization authorization, String topic) {
        return topic != null && authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private static OffsetFetchResponseTopics unauthorized(OffsetFetchRequestTopics topic) {
        OffsetFetchResponseTopics out = new OffsetFetchResponseTopics().setName(topic.name()).setTopicId(topic.topicId());
        for (int partition : topic.partitionIndexes()) {
            out.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition).setCommittedOffset(-1)
                    .setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        }
        return out;
    }
}

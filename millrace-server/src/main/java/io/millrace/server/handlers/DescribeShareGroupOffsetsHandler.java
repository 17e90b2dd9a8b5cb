package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.share.ShareGroups;
import io.millrace.coordinator.sharestate.ShareSnapshot;
import io.millrace.coordinator.sharestate.ShareStateBatch;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.share.ShareStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeShareGroupOffsets (API 90) v0–v1, on the group's coordinator: for each share group, the
 * share-partition start offset of the partitions asked for (when none are named, every partition
 * with a share state of the group: the partitions of the group's state topics, the index the group
 * coordinator keeps, and of its members' topics), read from the share coordinator. Lag (v1)
 * is the records from the start offset to the high watermark not yet acknowledged or archived,
 * when this broker leads the partition; -1 (unknown) otherwise. A group that is not a share group
 * here is GROUP_ID_NOT_FOUND. As in Kafka: DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED)
 * and on each topic asked for (else its partitions' TOPIC_AUTHORIZATION_FAILED, whether it exists
 * or not); asked for every partition, topics the principal may not DESCRIBE are left out. Stateless.
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler<DescribeShareGroupOffsetsRequestData> {
    private final GroupCoordinatorService groups;
    private final ShareStateStore store;
    private final TopicNameResolver topics;
    private final PartitionAccess access;

    public DescribeShareGroupOffsetsHandler(GroupCoordinatorService groups, ShareStateStore store,
                                            TopicNameResolver topics, PartitionAccess access) {
        this.groups = groups;
        this.store = store;
        this.topics = topics;
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<DescribeShareGroupOffsetsResponseData> handle(RequestContext context,
                                                                           DescribeShareGroupOffsetsRequestData request) {
        List<CompletableFuture<DescribeShareGroupOffsetsResponseGroup>> described = new ArrayList<>();
        Authorization authorization = context.authorization();
        request.groups().forEach(g -> described.add(authorization.allowsGroup(AclOperation.DESCRIBE, g.groupId())
                ? describe(g, authorization)
                : CompletableFuture.completedFuture(groupError(g.groupId(), Errors.GROUP_AUTHORIZATION_FAILED, null))));
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DescribeShareGroupOffsetsResponseData response = new DescribeShareGroupOffsetsResponseData();
            described.forEach(f -> response.groups().add(f.join()));
            return response;
        });
    }

    private CompletableFuture<DescribeShareGroupOffsetsResponseGroup> describe(
            DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup group, Authorization authorization) {
        String groupId = group.groupId();
        return groups.read(groupId, shard -> shard.shareGroups().contains(groupId)
                        ? Optional.of(stateTopics(shard.shareGroups(), groupId)) : Optional.<Set<String>>empty())
                .thenCompose(subscribed -> {
                    if (subscribed.isEmpty()) {
                        return CompletableFuture.completedFuture(groupError(groupId, Errors.GROUP_ID_NOT_FOUND,
                                "Group " + groupId + " is not a share group."));
                    }
                    return partitions(groupId, group.topics(), subscribed.get(), authorization);
                })
                .exceptionally(t -> groupError(groupId, ConsumerGroupHeartbeatHandler.errorOf(t), null));
    }

    private CompletableFuture<DescribeShareGroupOffsetsResponseGroup> partitions(
            String groupId, List<DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic> asked,
            Set<String> subscribed, Authorization authorization) {
        MetadataImage image = topics.image();
        boolean all = asked == null;
        List<CompletableFuture<DescribeShareGroupOffsetsResponseTopic>> topicFutures = new ArrayList<>();
        if (all) { // the topics the group may have a state of
            for (String name : subscribed) { // leaving out, as Kafka, the topics the principal may not DESCRIBE
                if (!authorization.allowsQuietly(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                    continue;
                }
                image.topic(name).ifPresent(t -> topicFutures.add(topic(groupId, t, List.copyOf(t.partitions().keySet()),
                        true)));
            }
        } else {
            for (var topic : asked) {
                if (!authorization.allowsTopic(AclOperation.DESCRIBE, topic.topicName())) { // existing or not
                    topicFutures.add(CompletableFuture.completedFuture(failedTopic(topic.topicName(), topic.partitions(),
                            Errors.TOPIC_AUTHORIZATION_FAILED)));
                    continue;
                }
                Optional<TopicImage> t = image.topic(topic.topicName());
                topicFutures.add(t.isEmpty()
                        ? CompletableFuture.completedFuture(failedTopic(topic.topicName(), topic.partitions(),
                                Errors.UNKNOWN_TOPIC_OR_PARTITION))
                        : topic(groupId, t.get(), topic.partitions(), false));
            }
        }
        return CompletableFuture.allOf(topicFutures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DescribeShareGroupOffsetsResponseGroup response = new DescribeShareGroupOffsetsResponseGroup()
                    .setGroupId(groupId);
            topicFutures.stream().map(CompletableFuture::join).filter(t -> !t.partitions().isEmpty())
                    .forEach(response.topics()::add);
            return response;
        });
    }

    private static Set<String> stateTopics(ShareGroups shareGroups, String groupId) {
        Set<String> names = new TreeSet<>(shareGroups.subscribedTopics(groupId));
        names.addAll(shareGroups.stateTopicNames(groupId));
        return names;
    }

    private CompletableFuture<DescribeShareGroupOffsetsResponseTopic> topic(String groupId, TopicImage topic,
                                                                            List<Integer> partitions,
                                                                            boolean onlyWithState) {
        List<CompletableFuture<DescribeShareGroupOffsetsResponsePartition>> futures = new ArrayList<>();
        for (int partition : partitions) {
            ShareStateKey key = new ShareStateKey(groupId, topic.topicId(), partition);
            futures.add(store.summary(key).thenApply(r -> partition(topic.name(), partition, r)));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DescribeShareGroupOffsetsResponseTopic response = new DescribeShareGroupOffsetsResponseTopic()
                    .setTopicName(topic.name()).setTopicId(topic.topicId());
            futures.stream().map(CompletableFuture::join)
                    .filter(p -> !onlyWithState || p.startOffset() >= 0 || p.errorCode() != Errors.NONE.code())
                    .forEach(response.partitions()::add);
            return response;
        });
    }

    private DescribeShareGroupOffsetsResponsePartition partition(String topic, int partition, ShareStateResult result) {
        DescribeShareGroupOffsetsResponsePartition wire = new DescribeShareGroupOffsetsResponsePartition()
                .setPartitionIndex(partition).setErrorCode(result.error().code()).setStartOffset(-1)
                .setLeaderEpoch(-1).setLag(-1);
        ShareSnapshot snapshot = result.snapshot();
        if (result.error() != Errors.NONE || snapshot == null) {
            return wire;
        }
        wire.setStartOffset(snapshot.startOffset()).setLeaderEpoch(snapshot.leaderEpoch());
        PartitionAccess.Lookup leader = access.leaderOf(new TopicPartition(topic, partition), -1);
        if (leader.error() == Errors.NONE) {
            long done = 0;
            for (ShareStateBatch b : snapshot.batches()) {
                if (b.state() == ShareStateBatch.ACKNOWLEDGED || b.state() == ShareStateBatch.ARCHIVED) {
                    done += b.lastOffset() - Math.max(b.firstOffset(), snapshot.startOffset()) + 1;
                }
            }
            wire.setLag(Math.max(0, leader.partition().log().highWatermark() - snapshot.startOffset() - done));
        }
        return wire;
    }

    private static DescribeShareGroupOffsetsResponseTopic failedTopic(String name, List<Integer> partitions, Errors error) {
        DescribeShareGroupOffsetsResponseTopic topic = new DescribeShareGroupOffsetsResponseTopic().setTopicName(name);
        partitions.forEach(p -> topic.partitions().add(new DescribeShareGroupOffsetsResponsePartition()
                .setPartitionIndex(p).setStartOffset(-1).setLeaderEpoch(-1).setLag(-1)
                .setErrorCode(error.code())));
        return topic;
    }

    private static DescribeShareGroupOffsetsResponseGroup groupError(String groupId, Errors error, String message) {
        return new DescribeShareGroupOffsetsResponseGroup().setGroupId(groupId).setErrorCode(error.code())
                .setErrorMessage(message);
    }
}

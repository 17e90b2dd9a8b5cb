package io.millrace.server.handlers;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.share.ShareStateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterShareGroupOffsets (API 91) v0, on the group's coordinator: for an empty share group, each
 * partition's share state starts again at the given offset, with a new state epoch (the share
 * coordinator's InitializeShareGroupState: what was in flight is forgotten); a partition leader
 * reads the new state when a member next opens a share session there. A group with members is
 * NON_EMPTY_GROUP, one that is not a share group here GROUP_ID_NOT_FOUND. As in Kafka: READ on the
 * group (else GROUP_AUTHORIZATION_FAILED) and on each topic (else its partitions'
 * TOPIC_AUTHORIZATION_FAILED, whether it exists or not). Stateless.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler<AlterShareGroupOffsetsRequestData> {
    private final GroupCoordinatorService groups;
    private final ShareStateStore store;
    private final TopicNameResolver topics;

    public AlterShareGroupOffsetsHandler(GroupCoordinatorService groups, ShareStateStore store,
                                         TopicNameResolver topics) {
        this.groups = groups;
        this.store = store;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<AlterShareGroupOffsetsResponseData> handle(RequestContext context,
                                                                        AlterShareGroupOffsetsRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.READ, request.groupId())) {
            return CompletableFuture.completedFuture(new AlterShareGroupOffsetsResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        Set<String> unreadable = new TreeSet<>();
        request.topics().stream().map(AlterShareGroupOffsetsRequestTopic::topicName).distinct()
                .filter(name -> !context.authorization().allowsTopic(AclOperation.READ, name)).forEach(unreadable::add);
        return EmptyShareGroup.thenIfEmpty(groups, request.groupId(), error -> new AlterShareGroupOffsetsResponseData()
                        .setErrorCode(error.code()).setErrorMessage(error.message()),
                () -> indexTopics(request, unreadable).thenCompose(v -> alter(request, unreadable)))
                .exceptionally(t -> new AlterShareGroupOffsetsResponseData()
                        .setErrorCode(ConsumerGroupHeartbeatHandler.errorOf(t).code()));
    }

    /** Adds the request's topics to the group's state topics (so DescribeShareGroupOffsets without topics finds them). */
    private CompletableFuture<Void> indexTopics(AlterShareGroupOffsetsRequestData request, Set<String> unreadable) {
        Map<Uuid, String> named = new LinkedHashMap<>();
        for (var topic : request.topics()) {
            if (unreadable.contains(topic.topicName())) {
                continue;
            }
            topics.image().topic(topic.topicName()).ifPresent(t -> named.put(t.topicId(), t.name()));
        }
        String groupId = request.groupId();
        return groups.write(groupId, "share-group-state-topics",
                shard -> shard.shareGroups().addStateTopics(groupId, named));
    }

    private CompletableFuture<AlterShareGroupOffsetsResponseData> alter(AlterShareGroupOffsetsRequestData request,
                                                                        Set<String> unreadable) {
        List<CompletableFuture<AlterShareGroupOffsetsResponseTopic>> futures = new ArrayList<>();
        for (var topic : request.topics()) {
            boolean denied = unreadable.contains(topic.topicName()); // whether it exists or not
            Optional<TopicImage> image = denied ? Optional.empty() : topics.image().topic(topic.topicName());
            List<CompletableFuture<AlterShareGroupOffsetsResponsePartition>> partitions = new ArrayList<>();
            for (var p : topic.partitions()) {
                AlterShareGroupOffsetsResponsePartition answer = new AlterShareGroupOffsetsResponsePartition()
                        .setPartitionIndex(p.partitionIndex());
                if (image.isEmpty() || !image.get().partitions().containsKey(p.partitionIndex())) {
                    partitions.add(CompletableFuture.completedFuture(answer.setErrorCode(
                            (denied ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.UNKNOWN_TOPIC_OR_PARTITION).code())));
                    continue;
                }
                ShareStateKey key = new ShareStateKey(request.groupId(), image.get().topicId(), p.partitionIndex());
                partitions.add(store.summary(key).thenCompose(current -> current.error() != Errors.NONE
                                ? CompletableFuture.completedFuture(current)
                                : store.initialize(key, current.snapshot() == null ? 1 : current.snapshot().stateEpoch() + 1,
                                p.startOffset()))
                        .thenApply(ShareStateResult::error)
                        .thenApply(e -> answer.setErrorCode(e.code())));
            }
            futures.add(CompletableFuture.allOf(partitions.toArray(CompletableFuture[]::new)).thenApply(v -> {
                AlterShareGroupOffsetsResponseTopic answer = new AlterShareGroupOffsetsResponseTopic()
                        .setTopicName(topic.topicName());
                image.ifPresent(t -> answer.setTopicId(t.topicId()));
                partitions.forEach(f -> answer.partitions().add(f.join()));
                return answer;
            }));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
            futures.forEach(f -> response.responses().add(f.join()));
            return response;
        });
    }
}

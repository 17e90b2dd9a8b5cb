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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteShareGroupOffsets (API 92) v0, on the group's coordinator: for an empty share group, the
 * share state of every partition of each named topic is deleted (DeleteShareGroupState on the
 * share coordinator), so the group starts on it again from {@code share.auto.offset.reset}. A
 * group with members is NON_EMPTY_GROUP, one that is not a share group here GROUP_ID_NOT_FOUND.
 * As in Kafka: DELETE on the group (else GROUP_AUTHORIZATION_FAILED) and READ on each topic (else
 * the topic's TOPIC_AUTHORIZATION_FAILED, whether it exists or not). Stateless.
 */
public final class DeleteShareGroupOffsetsHandler implements ApiHandler<DeleteShareGroupOffsetsRequestData> {
    private final GroupCoordinatorService groups;
    private final ShareStateStore store;
    private final TopicNameResolver topics;

    public DeleteShareGroupOffsetsHandler(GroupCoordinatorService groups, ShareStateStore store,
                                          TopicNameResolver topics) {
        this.groups = groups;
        this.store = store;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<DeleteShareGroupOffsetsResponseData> handle(RequestContext context,
                                                                         DeleteShareGroupOffsetsRequestData request) {
        if (!context.authorization().allowsGroup(AclOperation.DELETE, request.groupId())) {
            return CompletableFuture.completedFuture(new DeleteShareGroupOffsetsResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        Set<String> unreadable = new TreeSet<>();
        request.topics().stream().map(DeleteShareGroupOffsetsRequestTopic::topicName).distinct()
                .filter(name -> !context.authorization().allowsTopic(AclOperation.READ, name)).forEach(unreadable::add);
        return EmptyShareGroup.thenIfEmpty(groups, request.groupId(), error -> new DeleteShareGroupOffsetsResponseData()
                .setErrorCode(error.code()).setErrorMessage(error.message()), () -> delete(request, unreadable));
    }

    private CompletableFuture<DeleteShareGroupOffsetsResponseData> delete(DeleteShareGroupOffsetsRequestData request,
                                                                          Set<String> unreadable) {
        List<CompletableFuture<DeleteShareGroupOffsetsResponseTopic>> futures = new ArrayList<>();
        for (var topic : request.topics()) {
            DeleteShareGroupOffsetsResponseTopic answer = new DeleteShareGroupOffsetsResponseTopic()
                    .setTopicName(topic.topicName());
            if (unreadable.contains(topic.topicName())) { // whether it exists or not
                futures.add(CompletableFuture.completedFuture(answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())));
                continue;
            }
            Optional<TopicImage> image = topics.image().topic(topic.topicName());
            if (image.isEmpty()) {
                futures.add(CompletableFuture.completedFuture(
                        answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())));
                continue;
            }
            answer.setTopicId(image.get().topicId());
            List<CompletableFuture<Errors>> partitions = new ArrayList<>();
            for (int partition : image.get().partitions().keySet()) {
                partitions.add(store.delete(new ShareStateKey(request.groupId(), image.get().topicId(), partition))
                        .thenApply(ShareStateResult::error));
            }
            futures.add(CompletableFuture.allOf(partitions.toArray(CompletableFuture[]::new)).thenApply(v -> answer
                    .setErrorCode(partitions.stream().map(CompletableFuture::join).filter(e -> e != Errors.NONE)
                            .findFirst().orElse(Errors.NONE).code())));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            DeleteShareGroupOffsetsResponseData response = new DeleteShareGroupOffsetsResponseData();
            futures.forEach(f -> response.responses().add(f.join()));
            return response;
        });
    }
}

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
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteShareGroupOffsets (API 92) v0, on the group's coordinator: for an empty share group, the
 * share state of every partition of each named topic is deleted (DeleteShareGroupState on the
 * share coordinator), so the group starts on it again from {@code share.auto.offset.reset}. A
 * group with members is NON_EMPTY_GROUP, one that is not a share group here GROUP_ID_NOT_FOUND.
 * Stateless.
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
        return EmptyShareGroup.thenIfEmpty(groups, request.groupId(), error -> new DeleteShareGroupOffsetsResponseData()
                .setErrorCode(error.code()).setErrorMessage(error.message()), () -> delete(request));
    }

    private CompletableFuture<DeleteShareGroupOffsetsResponseData> delete(DeleteShareGroupOffsetsRequestData request) {
        List<CompletableFuture<DeleteShareGroupOffsetsResponseTopic>> futures = new ArrayList<>();
        for (var topic : request.topics()) {
            Optional<TopicImage> image = topics.image().topic(topic.topicName());
            DeleteShareGroupOffsetsResponseTopic answer = new DeleteShareGroupOffsetsResponseTopic()
                    .setTopicName(topic.topicName());
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

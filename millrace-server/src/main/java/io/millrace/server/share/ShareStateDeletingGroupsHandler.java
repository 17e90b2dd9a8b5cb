package io.millrace.server.share;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteGroups while share groups are served: the usual deletion (the handler it wraps), then,
 * for each share group deleted, its share state on every partition of its state topics (the index
 * the group coordinator keeps: DeleteShareGroupState on the share coordinator), so a share group
 * made again with the same id starts afresh. The answer
 * waits for those deletions; one that fails is logged, the group stays deleted. Stateless.
 */
public final class ShareStateDeletingGroupsHandler implements ApiHandler<DeleteGroupsRequestData> {
    private static final Logger LOG = LoggerFactory.getLogger(ShareStateDeletingGroupsHandler.class);

    private final ApiHandler<DeleteGroupsRequestData> deletion;
    private final GroupCoordinatorService groups;
    private final ShareStateStore store;
    private final TopicNameResolver topics;

    public ShareStateDeletingGroupsHandler(ApiHandler<DeleteGroupsRequestData> deletion, GroupCoordinatorService groups,
                                           ShareStateStore store, TopicNameResolver topics) {
        this.deletion = deletion;
        this.groups = groups;
        this.store = store;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public short minVersion() {
        return deletion.minVersion();
    }

    @Override
    public short maxVersion() {
        return deletion.maxVersion();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestContext context, DeleteGroupsRequestData request) {
        Map<String, CompletableFuture<Set<Uuid>>> shareGroups = new HashMap<>();
        for (String groupId : request.groupsNames()) {
            shareGroups.put(groupId, groups.read(groupId, shard -> shard.shareGroups().contains(groupId)
                            ? Set.copyOf(shard.shareGroups().group(groupId).stateTopics().keySet()) : null)
                    .exceptionally(t -> null));
        }
        return CompletableFuture.allOf(shareGroups.values().toArray(CompletableFuture[]::new)).thenCompose(v -> {
            Map<String, Set<Uuid>> shares = new HashMap<>();
            shareGroups.forEach((id, f) -> {
                if (f.join() != null) {
                    shares.put(id, f.join());
                }
            });
            return ((CompletableFuture<DeleteGroupsResponseData>) deletion.handle(context, request))
                    .thenCompose(response -> {
                        List<CompletableFuture<?>> deletions = new ArrayList<>();
                        response.results().forEach(r -> {
                            if (r.errorCode() == Errors.NONE.code() && shares.containsKey(r.groupId())) {
                                deletions.add(deleteState(r.groupId(), shares.get(r.groupId())));
                            }
                        });
                        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
                                .handle((ignored, t) -> response);
                    });
        });
    }

    private CompletableFuture<Void> deleteState(String groupId, Set<Uuid> stateTopics) {
        List<CompletableFuture<?>> deletions = new ArrayList<>();
        for (Uuid topicId : stateTopics) {
            TopicImage topic = topics.image().topic(topicId).orElse(null);
            if (topic == null) {
                continue; // the topic is gone: no partitions to name
            }
            for (int partition : topic.partitions().keySet()) {
                ShareStateKey key = new ShareStateKey(groupId, topic.topicId(), partition);
                deletions.add(store.delete(key).thenAccept(r -> {
                    if (r.error() != Errors.NONE) {
                        LOG.warn("Deleting the share state of {} failed: {}", key, r.error());
                    }
                }));
            }
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new));
    }
}

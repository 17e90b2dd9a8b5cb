package io.millrace.server.share;

import io.millrace.common.Time;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareAcknowledge (KIP-932) v1–v2: acknowledges records a member acquired (accept, release,
 * reject, gap; renew from v2) within its share session, whose epoch it moves on; the final epoch
 * (-1) closes the session and releases what the member still holds. Epoch 0 cannot open a session
 * here (INVALID_SHARE_SESSION_EPOCH). Records not acquired by this member, or whose lock has
 * expired, are INVALID_RECORD_STATE per partition. Stateless itself.
 * READ on the group (else GROUP_AUTHORIZATION_FAILED) and on each topic acknowledged (else that
 * partition's TOPIC_AUTHORIZATION_FAILED), as in Kafka.
 */
public final class ShareAcknowledgeHandler implements ApiHandler<ShareAcknowledgeRequestData> {
    private final TopicNameResolver topics;
    private final ShareSessions sessions;
    private final SharePartitions partitions;
    private final ShareAcknowledgements acknowledgements;
    private final ShareResponses responses;

    public ShareAcknowledgeHandler(TopicNameResolver topics, ShareSessions sessions, SharePartitions partitions,
                                   Time time) {
        this.topics = topics;
        this.sessions = sessions;
        this.partitions = partitions;
        this.acknowledgements = new ShareAcknowledgements(partitions, time);
        this.responses = new ShareResponses(topics);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<ShareAcknowledgeResponseData> handle(RequestContext context,
                                                                  ShareAcknowledgeRequestData request) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty() || memberId == null || memberId.isEmpty()) {
            return done(Errors.INVALID_REQUEST, "GroupId and MemberId must be set.");
        }
        if (!context.authorization().allowsGroup(AclOperation.READ, groupId)) {
            return done(Errors.GROUP_AUTHORIZATION_FAILED, null);
        }
        ShareTopicReads reads = new ShareTopicReads(context.authorization());
        int epoch = request.shareSessionEpoch();
        if (epoch == ShareSessions.INITIAL_EPOCH) {
            return done(Errors.INVALID_SHARE_SESSION_EPOCH, "A share session cannot be opened by ShareAcknowledge.");
        }
        ShareSessions.Update update = sessions.update(groupId, memberId, epoch, List.of(), List.of());
        if (update.error() != Errors.NONE) {
            return done(update.error(), null);
        }
        MetadataImage image = topics.image();
        Map<TopicIdPartition, Errors> results = new LinkedHashMap<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic topic : request.topics()) {
            String name = image.topic(topic.topicId()).map(TopicImage::name).orElse(null);
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : topic.partitions()) {
                TopicIdPartition tip = new TopicIdPartition(topic.topicId(), p.partitionIndex(), name);
                List<ShareAcknowledgements.Batch> batches = new ArrayList<>();
                p.acknowledgementBatches().forEach(b -> batches.add(new ShareAcknowledgements.Batch(b.firstOffset(),
                        b.lastOffset(), b.acknowledgeTypes())));
                results.put(tip, name == null ? Errors.UNKNOWN_TOPIC_ID
                        : !reads.readable(name) ? Errors.TOPIC_AUTHORIZATION_FAILED
                        : acknowledgements.apply(groupId, memberId, tip.topicPartition(), batches));
            }
        }
        Map<TopicPartition, TopicIdPartition> changed = new LinkedHashMap<>();
        results.forEach((tip, error) -> {
            // a failing batch does not stop the ones after it
            if (tip.topic() != null && error != Errors.TOPIC_AUTHORIZATION_FAILED) {
                changed.put(tip.topicPartition(), tip);
            }
        });
        return acknowledgements.persist(groupId, changed.keySet()).thenApply(failed -> {
            failed.forEach((tp, error) -> results.replace(changed.get(tp), Errors.NONE, error));
            return afterAcknowledgements(context, request, update, results);
        });
    }

    /** Closes the session when asked (releasing what the member still holds) and answers. */
    private ShareAcknowledgeResponseData afterAcknowledgements(RequestContext context,
                                                               ShareAcknowledgeRequestData request,
                                                               ShareSessions.Update update,
                                                               Map<TopicIdPartition, Errors> results) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (request.shareSessionEpoch() == ShareSessions.FINAL_EPOCH) {
            List<TopicPartition> held = update.partitions().stream().filter(t -> t.topic() != null)
                    .map(TopicIdPartition::topicPartition).toList();
            acknowledgements.releaseAll(groupId, memberId, held);
        }
        long lockMs = partitions.config().recordLockDurationMs(groupId);
        return responses.acknowledgeResponse(results, lockMs, context);
    }

    private static CompletableFuture<ShareAcknowledgeResponseData> done(Errors error, String message) {
        return CompletableFuture.completedFuture(new ShareAcknowledgeResponseData().setErrorCode(error.code())
                .setErrorMessage(message));
    }
}

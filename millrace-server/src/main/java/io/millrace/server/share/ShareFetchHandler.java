package io.millrace.server.share;

import io.millrace.common.Time;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.Partition;
import io.millrace.wire.batch.KafkaRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ShareFetch (KIP-932) v1–v2: applies the piggy-backed acknowledgements, moves the member's share
 * session on (epoch 0 opens it, -1 closes it and releases what the member holds), then acquires
 * records of the session's partitions for the member and answers them with their acquired ranges
 * and delivery counts. With nothing to acquire it waits, holding no thread, until data arrives on
 * a partition, a lock expires or max_wait_ms passes. Acknowledgement errors are per partition
 * (AcknowledgeErrorCode); session errors are the response's. v2's renew-only requests
 * (IsRenewAck) acquire nothing; its record_limit acquire mode takes exactly MaxRecords. As in
 * Kafka, the member needs READ on the group (else GROUP_AUTHORIZATION_FAILED, the response's) and
 * on each topic it fetches or acknowledges (else that partition's TOPIC_AUTHORIZATION_FAILED).
 * Stateless itself: the state is in {@link ShareSessions} and {@link SharePartitions}.
 */
public final class ShareFetchHandler implements ApiHandler<ShareFetchRequestData> {
    private static final byte RECORD_LIMIT_MODE = 1;
    private static final int DEFAULT_MAX_RECORDS = 500;
    /** Most bytes read from one partition per attempt (at least one whole batch): MaxRecords bounds what is taken. */
    private static final int PARTITION_READ_BYTES = 1 << 20;

    private final TopicNameResolver topics;
    private final ShareSessions sessions;
    private final SharePartitions partitions;
    private final ShareAcknowledgements acknowledgements;
    private final ShareAcquirer acquirer;
    private final ShareResponses responses;
    private final Time time;

    public ShareFetchHandler(TopicNameResolver topics, ShareSessions sessions, SharePartitions partitions, Time time) {
        this.topics = topics;
        this.sessions = sessions;
        this.partitions = partitions;
        this.acknowledgements = new ShareAcknowledgements(partitions, time);
        this.acquirer = new ShareAcquirer(partitions);
        this.responses = new ShareResponses(topics);
        this.time = time;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_FETCH;
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
    public CompletableFuture<ShareFetchResponseData> handle(RequestContext context, ShareFetchRequestData request) {
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
        MetadataImage image = topics.image();
        List<TopicIdPartition> added = new ArrayList<>();
        Map<TopicIdPartition, List<ShareAcknowledgements.Batch>> acks = new LinkedHashMap<>();
        for (ShareFetchRequestData.FetchTopic topic : request.topics()) {
            String name = image.topic(topic.topicId()).map(TopicImage::name).orElse(null);
            for (ShareFetchRequestData.FetchPartition p : topic.partitions()) {
                TopicIdPartition tip = new TopicIdPartition(topic.topicId(), p.partitionIndex(), name);
                added.add(tip);
                if (!p.acknowledgementBatches().isEmpty()) {
                    acks.put(tip, p.acknowledgementBatches().stream().map(b -> new ShareAcknowledgements.Batch(
                            b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())).toList());
                }
            }
        }
        if (epoch == ShareSessions.INITIAL_EPOCH && !acks.isEmpty()) {
            return done(Errors.INVALID_REQUEST, "Acknowledge data present on initial ShareFetchRequest.");
        }
        List<TopicIdPartition> forgotten = new ArrayList<>();
        for (ShareFetchRequestData.ForgottenTopic topic : request.forgottenTopicsData()) {
            String name = image.topic(topic.topicId()).map(TopicImage::name).orElse(null);
            topic.partitions().forEach(p -> forgotten.add(new TopicIdPartition(topic.topicId(), p, name)));
        }
        if (epoch == ShareSessions.FINAL_EPOCH) {
            added.clear(); // a closing request only acknowledges
        }
        Map<TopicIdPartition, PartitionData> answered = new LinkedHashMap<>();
        ShareSessions.Update update = sessions.update(groupId, memberId, epoch, added, forgotten);
        if (update.error() != Errors.NONE) {
            return done(update.error(), null);
        }
        Map<TopicPartition, TopicIdPartition> changed = new LinkedHashMap<>();
        acks.forEach((tip, batches) -> {
            boolean readable = reads.readable(tip.topic());
            Errors error = tip.topic() == null ? Errors.UNKNOWN_TOPIC_ID : !readable ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : acknowledgements.apply(groupId, memberId, tip.topicPartition(), batches);
            answered.put(tip, responses.partition(tip).setAcknowledgeErrorCode(error.code()));
            if (tip.topic() != null && readable) {
                changed.put(tip.topicPartition(), tip); // a failing batch does not stop the ones after it
            }
        });
        List<TopicIdPartition> readable = new ArrayList<>();
        for (TopicIdPartition tip : update.partitions()) { // the session's partitions, new and kept
            if (reads.readable(tip.topic())) {
                readable.add(tip);
            } else if (epoch != ShareSessions.FINAL_EPOCH) {
                answered.computeIfAbsent(tip, responses::partition).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            }
        }
        // the acknowledgements are answered once durable
        return acknowledgements.persist(groupId, changed.keySet()).thenCompose(failed -> {
            failed.forEach((tp, error) -> {
                PartitionData data = answered.get(changed.get(tp));
                if (data.acknowledgeErrorCode() == Errors.NONE.code()) {
                    data.setAcknowledgeErrorCode(error.code());
                }
            });
            return afterAcknowledgements(context, request, update, readable, answered);
        });
    }

    /** {@code readable}: the session's partitions the request may read (the others are answered already). */
    private CompletableFuture<ShareFetchResponseData> afterAcknowledgements(
            RequestContext context, ShareFetchRequestData request, ShareSessions.Update update,
            List<TopicIdPartition> readable, Map<TopicIdPartition, PartitionData> answered) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        int epoch = request.shareSessionEpoch();
        long lockMs = partitions.config().recordLockDurationMs(groupId);
        if (epoch == ShareSessions.FINAL_EPOCH) {
            acknowledgements.releaseAll(groupId, memberId, known(update.partitions()));
            return CompletableFuture.completedFuture(responses.fetchResponse(answered, lockMs, context));
        }
        if (request.isRenewAck()) {
            return CompletableFuture.completedFuture(responses.fetchResponse(answered, lockMs, context));
        }
        if (epoch == ShareSessions.INITIAL_EPOCH) { // a new session reads the state afresh if it is idle here
            known(readable).forEach(tp -> partitions.refresh(groupId, tp, time.milliseconds()));
        }
        Fetch fetch = new Fetch(groupId, memberId, readable, request, answered, lockMs, context);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        return attempt(fetch, deadline);
    }

    private record Fetch(String groupId, String memberId, List<TopicIdPartition> partitions,
                         ShareFetchRequestData request, Map<TopicIdPartition, PartitionData> answered, long lockMs,
                         RequestContext context) {
    }

    private CompletableFuture<ShareFetchResponseData> attempt(Fetch fetch, long deadline) {
        long now = time.milliseconds();
        List<CompletableFuture<Void>> signals = new ArrayList<>();
        long wakeAt = Long.MAX_VALUE;
        Map<TopicIdPartition, PartitionData> answer = new LinkedHashMap<>(fetch.answered());
        int maxRecords = fetch.request().maxRecords() > 0 ? fetch.request().maxRecords() : DEFAULT_MAX_RECORDS;
        boolean strict = fetch.request().shareAcquireMode() == RECORD_LIMIT_MODE;
        int bytesLeft = fetch.request().maxBytes() > 0 ? fetch.request().maxBytes() : Integer.MAX_VALUE;
        int acquired = 0;
        for (TopicIdPartition tip : fetch.partitions()) {
            if (tip.topic() == null) {
                answer.computeIfAbsent(tip, responses::partition).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                continue;
            }
            TopicPartition tp = tip.topicPartition();
            ShareAcquirer.Acquired got = acquired >= maxRecords || bytesLeft <= 0 ? null
                    : acquirer.acquire(fetch.groupId(), fetch.memberId(), tp, maxRecords - acquired, strict,
                    Math.min(bytesLeft, PARTITION_READ_BYTES), now);
            if (got == null) {
                continue;
            }
            if (got.error() != Errors.NONE) {
                PartitionData data = answer.computeIfAbsent(tip, responses::partition).setErrorCode(got.error().code());
                responses.leaderOf(data, tp, got.error());
                continue;
            }
            Partition partition = got.partition();
            signals.add(partition.dataArrived());
            if (got.loading() != null) {
                signals.add(got.loading());
            }
            SharePartition state = partitions.existing(fetch.groupId(), tp);
            if (state != null) {
                wakeAt = Math.min(wakeAt, state.earliestLockDeadline());
            }
            if (got.ranges().isEmpty()) {
                continue;
            }
            acquired += got.recordCount();
            bytesLeft -= got.records().remaining();
            PartitionData data = answer.computeIfAbsent(tip, responses::partition)
                    .setRecords(KafkaRecords.wrap(got.records()));
            got.ranges().forEach(r -> data.acquiredRecords().add(new ShareFetchResponseData.AcquiredRecords()
                    .setFirstOffset(r.firstOffset()).setLastOffset(r.lastOffset()).setDeliveryCount(r.deliveryCount())));
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (acquired > 0 || remainingMs <= 0 || signals.isEmpty() || !fetch.answered().isEmpty()) {
            return CompletableFuture.completedFuture(responses.fetchResponse(answer, fetch.lockMs(), fetch.context()));
        }
        long waitMs = wakeAt == Long.MAX_VALUE ? remainingMs : Math.max(1, Math.min(remainingMs, wakeAt - now));
        return CompletableFuture.anyOf(signals.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
                .thenCompose(ignored -> attempt(fetch, deadline));
    }

    private static List<TopicPartition> known(List<TopicIdPartition> tips) {
        return tips.stream().filter(t -> t.topic() != null).map(TopicIdPartition::topicPartition).toList();
    }

    private static CompletableFuture<ShareFetchResponseData> done(Errors error, String message) {
        return CompletableFuture.completedFuture(new ShareFetchResponseData().setErrorCode(error.code())
                .setErrorMessage(message));
    }
}

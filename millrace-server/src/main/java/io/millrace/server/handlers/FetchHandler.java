package io.millrace.server.handlers;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.fetchsession.FetchContext;
import io.millrace.server.fetchsession.FetchSessionCache;
import io.millrace.server.partition.CurrentLeaders;
import io.millrace.server.partition.Partition;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.partition.ReadOutcome;
import io.millrace.storage.AbortedTransaction;
import io.millrace.wire.batch.KafkaRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch: reads each partition from its fetch offset within the partition and response byte
 * limits. When less than min_bytes is available it waits, without holding a thread, until data
 * arrives on any requested partition or max_wait_ms passes (long poll).
 *
 * <p>Consumers read below the high watermark (read_uncommitted) or the last stable offset
 * (read_committed, answered with the aborted transactions overlapping the records returned, from
 * the segments' aborted-transaction indexes) and wait for it to advance; the records stay
 * file regions either way. Followers (replica id
 * &ge; 0) read up to the log end offset and wait for appends; their fetch offset tells the leader
 * how far they are (see {@link PartitionAccess#readForFollower}), and a diverged log is answered
 * with its diverging epoch (KIP-595). NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH carry the
 * current leader and its endpoint (KIP-951, v12+/v16+).
 *
 * <p>Fetch sessions (KIP-227) are kept by a {@link FetchSessionCache}: an incremental fetch reads
 * every partition of its session and is answered with only those that changed.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {
    private static final short FIRST_VERSION_WITH_CURRENT_LEADER = 12;
    private static final short FIRST_VERSION_WITH_NODE_ENDPOINTS = 16;
    private static final byte READ_COMMITTED = 1;

    private final TopicNameResolver topics;
    private final PartitionAccess access;
    /** The most a consumer may be sent at once without breaking its quota (Kafka's quota window bytes). */
    private final ToIntFunction<RequestContext> quotaWindowBytes;
    private final FetchSessionCache sessions;

    public FetchHandler(TopicNameResolver topics, PartitionAccess access) {
        this(topics, access, context -> Integer.MAX_VALUE, new FetchSessionCache(0));
    }

    public FetchHandler(TopicNameResolver topics, PartitionAccess access, ToIntFunction<RequestContext> quotaWindowBytes,
                        FetchSessionCache sessions) {
        this.topics = topics;
        this.access = access;
        this.quotaWindowBytes = quotaWindowBytes;
        this.sessions = sessions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData received) {
        int replicaId = replicaId(received);
        FetchContext session = sessions.newContext(received, context.apiVersion(), replicaId >= 0);
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(session.respond(null));
        }
        FetchRequestData request = session.request();
        int maxBytes = replicaId >= 0 ? request.maxBytes() : Math.min(request.maxBytes(), quotaWindowBytes.applyAsInt(context));
        Fetch fetch = new Fetch(context, request, replicaId, resolve(request, readableTopics(context, replicaId)), maxBytes);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        return attempt(fetch, deadline).thenApply(session::respond);
    }

    /** The fetching follower's broker id, or -1 for a consumer. */
    static int replicaId(FetchRequestData request) {
        if (request.replicaState() != null && request.replicaState().replicaId() >= 0) {
            return request.replicaState().replicaId();
        }
        return Math.max(-1, request.replicaId());
    }

    private CompletableFuture<FetchResponseData> attempt(Fetch fetch, long deadline) {
        // Take the wake-up signals before reading, so data that lands in between is not missed.
        List<CompletableFuture<Void>> signals = new ArrayList<>();
        for (Wanted w : fetch.wanted) {
            if (w.partition != null) {
                signals.add(fetch.fromFollower() ? w.partition.appended() : w.partition.dataArrived());
            }
        }
        Read read = readAll(fetch);
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (read.bytes >= Math.min(fetch.request.minBytes(), fetch.maxBytes) || read.completeNow || remainingMs <= 0 || signals.isEmpty()) {
            return CompletableFuture.completedFuture(read.response);
        }
        return CompletableFuture.anyOf(signals.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, remainingMs, TimeUnit.MILLISECONDS)
                .thenCompose(ignored -> attempt(fetch, deadline));
    }

    private Read readAll(Fetch fetch) {
        FetchRequestData request = fetch.request;
        short version = fetch.context.apiVersion();
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        Map<String, FetchableTopicResponse> byTopic = new LinkedHashMap<>();
        MetadataImage image = topics.image();
        int remaining = fetch.maxBytes;
        int total = 0;
        boolean readCommitted = request.isolationLevel() == READ_COMMITTED && !fetch.fromFollower();
        boolean completeNow = false;
        for (Wanted w : fetch.wanted) {
            FetchableTopicResponse topic = byTopic.computeIfAbsent(w.topicName + "/" + w.topicId, k -> {
                FetchableTopicResponse t = new FetchableTopicResponse().setTopic(w.topicName).setTopicId(w.topicId);
                response.responses().add(t);
                return t;
            });
            PartitionData data = new PartitionData().setPartitionIndex(w.request.partition())
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                    .setRecords(KafkaRecords.empty());
            topic.partitions().add(data);
            if (w.error != Errors.NONE) {
                setError(fetch, image, response, data, w.tp, w.error, version);
                completeNow = true;
                continue;
            }
            int limit = Math.max(0, Math.min(w.request.partitionMaxBytes(), remaining));
            FetchRequestData.FetchPartition p = w.request;
            ReadOutcome outcome = fetch.fromFollower()
                    ? access.readForFollower(w.tp, fetch.replicaId, p.currentLeaderEpoch(), p.fetchOffset(),
                    p.lastFetchedEpoch(), p.logStartOffset(), limit, total == 0)
                    : access.read(w.tp, p.currentLeaderEpoch(), p.fetchOffset(), limit, total == 0, readCommitted);
            data.setHighWatermark(outcome.highWatermark()).setLastStableOffset(outcome.lastStableOffset())
                    .setLogStartOffset(outcome.logStartOffset());
            if (readCommitted) {
                data.setAbortedTransactions(abortedTransactions(outcome.abortedTransactions()));
            }
            if (outcome.error() != Errors.NONE) {
                setError(fetch, image, response, data, w.tp, outcome.error(), version);
                completeNow = true;
                continue;
            }
            if (outcome.divergingEpoch() != null) {
                data.divergingEpoch().setEpoch(outcome.divergingEpoch().epoch())
                        .setEndOffset(outcome.divergingEpoch().endOffset());
                completeNow = true;
                continue;
            }
            if (fetch.fromFollower() && outcome.highWatermark() > p.highWatermark()) {
                completeNow = true; // KIP-1166: carry a new high watermark to the follower without waiting
            }
            int size = outcome.result().sizeInBytes();
            if (size > 0) {
                data.setRecords(KafkaRecords.fileRegion(outcome.result().region()));
                total += size;
                remaining -= size;
            }
        }
        return new Read(response, total, completeNow);
    }

    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(List<AbortedTransaction> aborted) {
        List<FetchResponseData.AbortedTransaction> out = new ArrayList<>(aborted == null ? 0 : aborted.size());
        if (aborted != null) {
            for (AbortedTransaction txn : aborted) {
                out.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                        .setFirstOffset(txn.firstOffset()));
            }
        }
        return out;
    }

    /** Sets {@code error}; for NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH also the current leader (KIP-951). */
    private static void setError(Fetch fetch, MetadataImage image, FetchResponseData response, PartitionData data,
                                 TopicPartition tp, Errors error, short version) {
        data.setErrorCode(error.code());
        if (tp == null || version < FIRST_VERSION_WITH_CURRENT_LEADER
                || (error != Errors.NOT_LEADER_OR_FOLLOWER && error != Errors.FENCED_LEADER_EPOCH)) {
            return;
        }
        CurrentLeaders.of(image, tp).ifPresent(leader -> {
            data.currentLeader().setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch());
            if (version >= FIRST_VERSION_WITH_NODE_ENDPOINTS
                    && response.nodeEndpoints().find(leader.leaderId()) == null) {
                CurrentLeaders.endpoint(image, leader.leaderId(), fetch.context.listenerName()).ifPresent(e ->
                        response.nodeEndpoints().add(new FetchResponseData.NodeEndpoint().setNodeId(e.nodeId())
                                .setHost(e.host()).setPort(e.port()).setRack(e.rack())));
            }
        });
    }

    /**
     * Which topics the request may read, as Kafka decides: a follower (replica id &ge; 0) needs
     * CLUSTER_ACTION on the cluster, or it may read none; a consumer needs READ on each topic.
     */
    private static Predicate<String> readableTopics(RequestContext context, int replicaId) {
        Authorization authorization = context.authorization();
        if (!authorization.enabled()) {
            return name -> true;
        }
        if (replicaId >= 0) {
            boolean replica = authorization.allowsCluster(AclOperation.CLUSTER_ACTION);
            return name -> replica;
        }
        return name -> authorization.allowsTopic(AclOperation.READ, name);
    }

    private List<Wanted> resolve(FetchRequestData request, Predicate<String> readable) {
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Optional<TopicImage> image = topics.find(topic.topic(), topic.topicId());
            boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            boolean authorized = byId && image.isEmpty() || readable.test(image.map(TopicImage::name).orElse(topic.topic()));
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                if (!authorized) {
                    wanted.add(new Wanted(topic.topic(), topic.topicId(), null, null, p, Errors.TOPIC_AUTHORIZATION_FAILED));
                    continue;
                }
                if (image.isEmpty()) {
                    wanted.add(new Wanted(topic.topic(), topic.topicId(), null, null, p,
                            byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION));
                    continue;
                }
                TopicPartition tp = new TopicPartition(image.get().name(), p.partition());
                PartitionAccess.Lookup lookup = access.leaderOf(tp, -1);
                wanted.add(new Wanted(topic.topic(), topic.topicId(), tp, lookup.partition(), p, lookup.error()));
            }
        }
        return wanted;
    }

    /**
     * One fetch request, resolved once.
     *
     * @param maxBytes the request's max_bytes, for a consumer at most what its consumer_byte_rate allows in one quota window
     */
    private record Fetch(RequestContext context, FetchRequestData request, int replicaId, List<Wanted> wanted,
                         int maxBytes) {
        boolean fromFollower() {
            return replicaId >= 0;
        }
    }

    /** One requested partition, resolved once per request. */
    private record Wanted(String topicName, Uuid topicId, TopicPartition tp, Partition partition,
                          FetchRequestData.FetchPartition request, Errors error) {
    }

    private record Read(FetchResponseData response, int bytes, boolean completeNow) {
    }
}

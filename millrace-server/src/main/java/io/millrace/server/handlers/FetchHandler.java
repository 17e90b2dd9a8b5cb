package io.millrace.server.handlers;

import io.millrace.metadata.image.TopicImage;
import io.millrace.server.TopicNameResolver;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.partition.Partition;
import io.millrace.server.partition.PartitionAccess;
import io.millrace.server.partition.ReadOutcome;
import io.millrace.wire.batch.KafkaRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
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
 * <p>Fetch sessions (KIP-227) are not kept yet: every answer carries session id 0, which clients
 * take as "send full fetch requests".
 */
public final class FetchHandler implements ApiHandler<FetchRequestData> {

    private final TopicNameResolver topics;
    private final PartitionAccess access;

    public FetchHandler(TopicNameResolver topics, PartitionAccess access) {
        this.topics = topics;
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestContext context, FetchRequestData request) {
        if (request.sessionId() != 0 || request.sessionEpoch() > 0) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).setSessionId(0));
        }
        List<Wanted> wanted = resolve(request);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, request.maxWaitMs()));
        return attempt(request, wanted, deadline);
    }

    private CompletableFuture<FetchResponseData> attempt(FetchRequestData request, List<Wanted> wanted, long deadline) {
        // Take the wake-up signals before reading, so data that lands in between is not missed.
        List<CompletableFuture<Void>> signals = new ArrayList<>();
        for (Wanted w : wanted) {
            if (w.partition != null) {
                signals.add(w.partition.dataArrived());
            }
        }
        Read read = readAll(request, wanted);
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (read.bytes >= request.minBytes() || read.hasError || remainingMs <= 0 || signals.isEmpty()) {
            return CompletableFuture.completedFuture(read.response);
        }
        return CompletableFuture.anyOf(signals.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, remainingMs, TimeUnit.MILLISECONDS)
                .thenCompose(ignored -> attempt(request, wanted, deadline));
    }

    private Read readAll(FetchRequestData request, List<Wanted> wanted) {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        Map<String, FetchableTopicResponse> byTopic = new LinkedHashMap<>();
        int remaining = request.maxBytes();
        int total = 0;
        boolean hasError = false;
        for (Wanted w : wanted) {
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
                data.setErrorCode(w.error.code());
                hasError = true;
                continue;
            }
            int limit = Math.max(0, Math.min(w.request.partitionMaxBytes(), remaining));
            ReadOutcome outcome = access.read(w.tp, w.request.currentLeaderEpoch(), w.request.fetchOffset(),
                    limit, total == 0);
            data.setErrorCode(outcome.error().code());
            data.setHighWatermark(outcome.highWatermark()).setLastStableOffset(outcome.highWatermark())
                    .setLogStartOffset(outcome.logStartOffset());
            if (request.isolationLevel() == 1) {
                data.setAbortedTransactions(new ArrayList<>());
            }
            if (outcome.error() != Errors.NONE) {
                hasError = true;
                continue;
            }
            int size = outcome.result().sizeInBytes();
            if (size > 0) {
                data.setRecords(KafkaRecords.fileRegion(outcome.result().region()));
                total += size;
                remaining -= size;
            }
        }
        return new Read(response, total, hasError);
    }

    private List<Wanted> resolve(FetchRequestData request) {
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Optional<TopicImage> image = topics.find(topic.topic(), topic.topicId());
            boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
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

    /** One requested partition, resolved once per request. */
    private record Wanted(String topicName, Uuid topicId, TopicPartition tp, Partition partition,
                          FetchRequestData.FetchPartition request, Errors error) {
    }

    private record Read(FetchResponseData response, int bytes, boolean hasError) {
    }
}

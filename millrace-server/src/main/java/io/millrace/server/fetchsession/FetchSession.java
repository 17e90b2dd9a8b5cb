package io.millrace.server.fetchsession;

import io.millrace.wire.batch.KafkaRecords;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;

/**
 * One incremental fetch session (KIP-227): the partitions a fetcher reads, in the order the
 * broker reads them, each with its cached request and last-sent state, and the epoch the next
 * request must carry.
 *
 * <p>Thread-safety: the partitions and the epoch are guarded by this object's monitor; the
 * cache's bookkeeping fields ({@code lastUsedMs}, {@code cachedSize}) by the
 * {@link FetchSessionCache}'s monitor, which is taken first when both are needed.
 */
final class FetchSession {
    final int id;
    /** Created by a follower: followers may evict consumers' sessions. */
    final boolean privileged;
    /** Created at Fetch v13+: partitions are keyed by topic id. */
    final boolean usesTopicIds;
    final long creationMs;
    /** Guarded by the cache. */
    long lastUsedMs;
    /** Guarded by the cache: the size when the cache last indexed this session; -1 before. */
    int cachedSize = -1;

    private int epoch;
    private final LinkedHashMap<SessionPartitionKey, CachedPartition> partitions;

    FetchSession(int id, boolean privileged, boolean usesTopicIds, long nowMs,
                 LinkedHashMap<SessionPartitionKey, CachedPartition> partitions) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
        this.partitions = partitions;
        this.epoch = FetchSessionCache.nextEpoch(FetchSessionCache.INITIAL_EPOCH);
    }

    /**
     * The partitions of a full fetch request, each remembering what {@code response} told the
     * fetcher about it.
     */
    static LinkedHashMap<SessionPartitionKey, CachedPartition> fromFullFetch(FetchRequestData request,
                                                                             FetchResponseData response,
                                                                             boolean usesTopicIds) {
        LinkedHashMap<SessionPartitionKey, CachedPartition> partitions = new LinkedHashMap<>();
        for (FetchTopic topic : request.topics()) {
            for (FetchPartition p : topic.partitions()) {
                partitions.put(SessionPartitionKey.of(usesTopicIds, topic.topicId(), topic.topic(), p.partition()),
                        new CachedPartition(topic.topic(), topic.topicId(), p));
            }
        }
        for (FetchableTopicResponse topic : response.responses()) {
            for (PartitionData data : topic.partitions()) {
                CachedPartition cached = partitions.get(
                        SessionPartitionKey.of(usesTopicIds, topic.topicId(), topic.topic(), data.partitionIndex()));
                if (cached != null) {
                    cached.mustRespond(data);
                }
            }
        }
        return partitions;
    }

    synchronized int epoch() {
        return epoch;
    }

    synchronized void advanceEpoch() {
        epoch = FetchSessionCache.nextEpoch(epoch);
    }

    synchronized int size() {
        return partitions.size();
    }

    /**
     * Applies an incremental request: partitions it names are added or take its fetch parameters,
     * then its forgotten topics' partitions leave the session (Kafka's order).
     */
    synchronized void update(FetchRequestData request) {
        for (FetchTopic topic : request.topics()) {
            for (FetchPartition p : topic.partitions()) {
                SessionPartitionKey key = SessionPartitionKey.of(usesTopicIds, topic.topicId(), topic.topic(), p.partition());
                CachedPartition cached = partitions.get(key);
                if (cached == null) {
                    partitions.put(key, new CachedPartition(topic.topic(), topic.topicId(), p));
                } else {
                    cached.updateRequest(p);
                }
            }
        }
        for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
            for (int partition : forgotten.partitions()) {
                partitions.remove(SessionPartitionKey.of(usesTopicIds, forgotten.topicId(), forgotten.topic(), partition));
            }
        }
    }

    /** Every partition of the session with its cached request, grouped into consecutive runs per topic. */
    synchronized List<FetchTopic> fetchTopics() {
        List<FetchTopic> topics = new ArrayList<>();
        FetchTopic current = null;
        for (CachedPartition cached : partitions.values()) {
            if (current == null || !Objects.equals(current.topic(), cached.topic)
                    || !Objects.equals(current.topicId(), cached.topicId)) {
                current = new FetchTopic().setTopic(cached.topic).setTopicId(cached.topicId);
                topics.add(current);
            }
            current.partitions().add(cached.request());
        }
        return topics;
    }

    /**
     * Leaves out of {@code response} every partition the fetcher already knows all about, and
     * moves the partitions that returned records to the end of the session's order, so the next
     * fetch reads the others first when the response size limit cuts it short.
     */
    synchronized void keepChanged(FetchResponseData response) {
        List<SessionPartitionKey> returnedRecords = new ArrayList<>();
        for (Iterator<FetchableTopicResponse> topics = response.responses().iterator(); topics.hasNext(); ) {
            FetchableTopicResponse topic = topics.next();
            for (Iterator<PartitionData> it = topic.partitions().iterator(); it.hasNext(); ) {
                PartitionData data = it.next();
                SessionPartitionKey key = SessionPartitionKey.of(usesTopicIds, topic.topicId(), topic.topic(),
                        data.partitionIndex());
                CachedPartition cached = partitions.get(key);
                if (cached != null && !cached.mustRespond(data)) {
                    it.remove();
                } else if (cached != null && KafkaRecords.sizeOf(data.records()) > 0) {
                    returnedRecords.add(key);
                }
            }
            if (topic.partitions().isEmpty()) {
                topics.remove();
            }
        }
        for (SessionPartitionKey key : returnedRecords) {
            partitions.put(key, partitions.remove(key));
        }
    }

    /** A copy of the session's partition keys in order (tests). */
    synchronized List<SessionPartitionKey> keys() {
        return List.copyOf(partitions.keySet());
    }

    @Override
    public synchronized String toString() {
        return "FetchSession(id=" + id + ", privileged=" + privileged + ", partitions=" + partitions.size()
                + ", epoch=" + epoch + ")";
    }
}

package io.millrace.server.fetchsession;

import io.millrace.wire.batch.KafkaRecords;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

/**
 * One partition of a fetch session: what the fetcher last asked for it (fetch offset, leader
 * epoch, partition max bytes, ...; reused for every incremental fetch that does not name it) and
 * what it was last told (high watermark, log start offset, last stable offset), so an incremental
 * response can leave it out while none of that changed.
 *
 * <p>Not thread-safe: guarded by its {@link FetchSession}'s lock.
 */
final class CachedPartition {
    private static final long UNKNOWN = -1;

    final String topic;
    final Uuid topicId;
    private FetchPartition request;
    private long highWatermark = UNKNOWN;
    private long logStartOffset = UNKNOWN;
    private long lastStableOffset = UNKNOWN;

    CachedPartition(String topic, Uuid topicId, FetchPartition request) {
        this.topic = topic;
        this.topicId = topicId;
        this.request = request;
    }

    FetchPartition request() {
        return request;
    }

    /** The fetcher named this partition again: its fetch parameters replace the cached ones. */
    void updateRequest(FetchPartition latest) {
        this.request = latest;
    }

    /**
     * Whether {@code data} must be sent to the fetcher, remembering what it is told: records,
     * a changed high watermark, log start offset or last stable offset, an error (after which the
     * high watermark is forgotten so the partition is sent again once the error clears), a
     * preferred read replica or a diverging epoch.
     */
    boolean mustRespond(PartitionData data) {
        boolean respond = KafkaRecords.sizeOf(data.records()) > 0;
        if (highWatermark != data.highWatermark()) {
            highWatermark = data.highWatermark();
            respond = true;
        }
        if (logStartOffset != data.logStartOffset()) {
            logStartOffset = data.logStartOffset();
            respond = true;
        }
        if (lastStableOffset != data.lastStableOffset()) {
            lastStableOffset = data.lastStableOffset();
            respond = true;
        }
        if (data.errorCode() != Errors.NONE.code()) {
            highWatermark = UNKNOWN;
            respond = true;
        }
        return respond || data.preferredReadReplica() >= 0 || data.divergingEpoch().epoch() >= 0;
    }
}

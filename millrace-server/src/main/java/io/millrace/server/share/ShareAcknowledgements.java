package io.millrace.server.share;

import io.millrace.common.Time;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Applies the acknowledgement batches one request carries for one partition (ShareFetch's
 * piggy-backed ones and ShareAcknowledge's alike): the first failing batch's error is the
 * partition's, and the batches after it are still applied, as Kafka does per batch. Thread-safe.
 */
final class ShareAcknowledgements {
    /** One acknowledgement batch: a type for the whole range, or one per offset. */
    record Batch(long firstOffset, long lastOffset, List<Byte> types) {
    }

    private final SharePartitions partitions;
    private final Time time;

    ShareAcknowledgements(SharePartitions partitions, Time time) {
        this.partitions = partitions;
        this.time = time;
    }

    Errors apply(String groupId, String memberId, TopicPartition tp, List<Batch> batches) {
        if (batches.isEmpty()) {
            return Errors.NONE;
        }
        long now = time.milliseconds();
        SharePartitions.Lookup lookup = partitions.get(groupId, tp, now);
        if (lookup.error() != Errors.NONE) {
            return lookup.error();
        }
        long lockDurationMs = partitions.config().recordLockDurationMs(groupId);
        Errors first = Errors.NONE;
        for (Batch batch : batches) {
            Errors error = lookup.state().acknowledge(memberId, batch.firstOffset(), batch.lastOffset(), batch.types(),
                    now, lockDurationMs);
            if (first == Errors.NONE) {
                first = error;
            }
        }
        return first;
    }

    /** The member's share session closed: what it holds on these partitions is available again. */
    void releaseAll(String groupId, String memberId, List<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            SharePartition state = partitions.existing(groupId, tp);
            if (state != null) {
                state.releaseAll(memberId);
            }
        }
    }
}

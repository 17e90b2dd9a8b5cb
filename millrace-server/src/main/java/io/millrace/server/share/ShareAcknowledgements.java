package io.millrace.server.share;

import io.millrace.common.Time;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        if (lookup.state() == null) {
            return Errors.INVALID_RECORD_STATE; // no state here yet: nothing was acquired from it
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

    /**
     * Writes the states of {@code changed} to the share coordinator; completes with the partitions
     * whose write failed and the error to answer for them (their acknowledgements are not durable).
     */
    CompletableFuture<Map<TopicPartition, Errors>> persist(String groupId, Collection<TopicPartition> changed) {
        Map<TopicPartition, CompletableFuture<Errors>> writes = new LinkedHashMap<>();
        changed.forEach(tp -> writes.put(tp, partitions.persist(groupId, tp)));
        return CompletableFuture.allOf(writes.values().toArray(CompletableFuture[]::new)).handle((v, t) -> {
            Map<TopicPartition, Errors> failed = new LinkedHashMap<>();
            writes.forEach((tp, write) -> {
                Errors error = write.isCompletedExceptionally() ? Errors.UNKNOWN_SERVER_ERROR : write.join();
                if (error != Errors.NONE) {
                    failed.put(tp, error);
                }
            });
            return failed;
        });
    }

    /**
     * The member's share session closed: what it holds on these partitions is available again, and
     * the states are written (not waited for) so the delivery counts of those deliveries are kept.
     */
    void releaseAll(String groupId, String memberId, List<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            SharePartition state = partitions.existing(groupId, tp);
            if (state != null) {
                state.releaseAll(memberId);
                partitions.writeReleases(groupId, tp, state);
            }
        }
    }
}

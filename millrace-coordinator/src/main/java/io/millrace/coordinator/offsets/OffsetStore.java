package io.millrace.coordinator.offsets;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import io.millrace.coordinator.runtime.CoordinatorShard;
import io.millrace.coordinator.runtime.TransactionMarker;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets of the groups of one coordinator partition, changed only by
 * {@link #replay} and {@link #replayEndTransactionMarker}. Owned by the shard's thread; not
 * thread-safe.
 *
 * <p>An offset committed inside a transaction (TxnOffsetCommit: a record written by a
 * transactional producer) stays pending, per producer id, until that producer's transaction
 * ends: a COMMIT marker makes it the group's committed offset (unless a commit later in the log
 * already replaced it, as Kafka decides by record offset), an ABORT marker drops it. A
 * non-transactional tombstone of a partition also drops the offsets pending there.
 */
public final class OffsetStore {
    /** The record offset of each committed offset, so an older transactional commit never wins. */
    private record Stored(CommittedOffset offset, long recordOffset) {
    }

    private final Map<String, Map<TopicPartition, CommittedOffset>> byGroup = new HashMap<>();
    private final Map<String, Map<TopicPartition, Long>> recordOffsets = new HashMap<>();
    private final Map<Long, Map<String, Map<TopicPartition, Stored>>> pendingByProducer = new HashMap<>();

    /**
     * Applies one key type 1 record (a commit, or a tombstone that deletes it) at {@code offset}:
     * at once, or, written by transactional producer {@code producerId}, at its COMMIT marker.
     */
    public void replay(long offset, long producerId, CoordinatorRecord record) {
        OffsetRecords.Key key = OffsetRecords.readKey(record.key());
        if (producerId != CoordinatorShard.NO_PRODUCER_ID) {
            Map<TopicPartition, Stored> pending = pendingByProducer.computeIfAbsent(producerId, p -> new HashMap<>())
                    .computeIfAbsent(key.groupId(), g -> new HashMap<>());
            if (record.isTombstone()) {
                pending.remove(key.partition());
            } else {
                pending.put(key.partition(), new Stored(OffsetRecords.readValue(record.value()), offset));
            }
            return;
        }
        if (record.isTombstone()) {
            remove(key.groupId(), key.partition());
            // As Kafka: deleting an offset (OffsetDelete, DeleteGroups, expiry) also drops what open
            // transactions would commit there.
            for (Map<String, Map<TopicPartition, Stored>> ofProducer : pendingByProducer.values()) {
                Map<TopicPartition, Stored> pending = ofProducer.get(key.groupId());
                if (pending != null) {
                    pending.remove(key.partition());
                }
            }
        } else {
            put(key.groupId(), key.partition(), new Stored(OffsetRecords.readValue(record.value()), offset));
        }
    }

    /** Ends {@code producerId}'s transaction: its pending offsets become committed (COMMIT) or vanish (ABORT). */
    public void replayEndTransactionMarker(long producerId, TransactionMarker marker) {
        Map<String, Map<TopicPartition, Stored>> pending = pendingByProducer.remove(producerId);
        if (pending == null || marker == TransactionMarker.ABORT) {
            return;
        }
        pending.forEach((groupId, offsets) -> offsets.forEach((tp, stored) -> {
            Long current = recordOffsets.getOrDefault(groupId, Map.of()).get(tp);
            if (current == null || current < stored.recordOffset()) {
                put(groupId, tp, stored);
            }
        }));
    }

    /** Whether a transaction has an offset of {@code groupId} for {@code tp} that is not yet committed or aborted. */
    public boolean hasPendingTransactionalOffset(String groupId, TopicPartition tp) {
        for (Map<String, Map<TopicPartition, Stored>> byGroupOfProducer : pendingByProducer.values()) {
            Map<TopicPartition, Stored> offsets = byGroupOfProducer.get(groupId);
            if (offsets != null && offsets.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a transaction that has not ended wrote offsets of {@code groupId} (even if a later
     * deletion dropped them): such a group is neither expired nor emptied of its offsets, as Kafka.
     */
    public boolean hasOpenTransactions(String groupId) {
        for (Map<String, Map<TopicPartition, Stored>> byGroupOfProducer : pendingByProducer.values()) {
            if (byGroupOfProducer.containsKey(groupId)) {
                return true;
            }
        }
        return false;
    }

    /** The partitions of {@code groupId} with an offset pending in an open transaction. */
    public Set<TopicPartition> pendingPartitions(String groupId) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (Map<String, Map<TopicPartition, Stored>> byGroupOfProducer : pendingByProducer.values()) {
            partitions.addAll(byGroupOfProducer.getOrDefault(groupId, Map.of()).keySet());
        }
        return partitions;
    }

    public CommittedOffset get(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
        return offsets == null ? null : offsets.get(tp);
    }

    /** The group's offsets (unmodifiable view; empty when none). */
    public Map<TopicPartition, CommittedOffset> offsets(String groupId) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
        return offsets == null ? Map.of() : Collections.unmodifiableMap(offsets);
    }

    public boolean hasOffsets(String groupId) {
        return byGroup.containsKey(groupId);
    }

    /** Groups with at least one committed offset (unmodifiable view). */
    public Set<String> groupIds() {
        return Collections.unmodifiableSet(byGroup.keySet());
    }

    private void put(String groupId, TopicPartition tp, Stored stored) {
        byGroup.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, stored.offset());
        recordOffsets.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, stored.recordOffset());
    }

    private void remove(String groupId, TopicPartition tp) {
        Map<TopicPartition, CommittedOffset> offsets = byGroup.get(groupId);
        if (offsets == null) {
            return;
        }
        offsets.remove(tp);
        recordOffsets.get(groupId).remove(tp);
        if (offsets.isEmpty()) {
            byGroup.remove(groupId);
            recordOffsets.remove(groupId);
        }
    }
}

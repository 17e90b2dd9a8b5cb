package io.millrace.coordinator.offsets;

import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets of the groups of one coordinator partition, changed only by
 * {@link #replay}. Owned by the shard's thread; not thread-safe.
 */
public final class OffsetStore {
    private final Map<String, Map<TopicPartition, CommittedOffset>> byGroup = new HashMap<>();

    /** Applies one key type 1 record (a commit, or a tombstone that deletes it). */
    public void replay(CoordinatorRecord record) {
        OffsetRecords.Key key = OffsetRecords.readKey(record.key());
        if (record.isTombstone()) {
            Map<TopicPartition, CommittedOffset> offsets = byGroup.get(key.groupId());
            if (offsets != null) {
                offsets.remove(key.partition());
                if (offsets.isEmpty()) {
                    byGroup.remove(key.groupId());
                }
            }
            return;
        }
        byGroup.computeIfAbsent(key.groupId(), g -> new HashMap<>())
                .put(key.partition(), OffsetRecords.readValue(record.value()));
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
}

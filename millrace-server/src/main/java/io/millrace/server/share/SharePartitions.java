package io.millrace.server.share;

import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.server.partition.ListedOffset;
import io.millrace.server.partition.Partition;
import io.millrace.server.partition.PartitionAccess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition states of this broker, one per share group and partition it leads, made on
 * a group's first ShareFetch of the partition and starting where {@code share.auto.offset.reset}
 * says (latest: the high watermark, or the last stable offset for read_committed; earliest: the
 * log start; by_duration: the first record at or after that long ago).
 *
 * <p>In memory only, for now: a state belongs to the leader epoch it was made in, and a new
 * leader (or a restart) starts again from {@code share.auto.offset.reset}. Durable state
 * ({@code __share_group_state}, the share coordinator) is the next phase.
 *
 * <p>Thread-safe.
 */
public final class SharePartitions {
    private record Key(String groupId, TopicPartition tp) {
    }

    /** A share-partition state and the partition it is on, or the error to answer. */
    record Lookup(SharePartition state, Partition partition, Errors error) {
    }

    private final Map<Key, SharePartition> states = new ConcurrentHashMap<>();
    private final PartitionAccess access;
    private final ShareGroupConfig config;

    public SharePartitions(PartitionAccess access, ShareGroupConfig config) {
        this.access = access;
        this.config = config;
    }

    ShareGroupConfig config() {
        return config;
    }

    PartitionAccess access() {
        return access;
    }

    /** The group's state on {@code tp}, made if this broker leads it and has none for its leader epoch. */
    Lookup get(String groupId, TopicPartition tp, long nowMs) {
        PartitionAccess.Lookup lookup = access.leaderOf(tp, -1);
        if (lookup.error() != Errors.NONE) {
            return new Lookup(null, lookup.partition(), lookup.error());
        }
        Partition partition = lookup.partition();
        Key key = new Key(groupId, tp);
        SharePartition existing = states.get(key);
        if (existing != null && existing.leaderEpoch() == partition.leaderEpoch()) {
            return new Lookup(existing, partition, Errors.NONE);
        }
        ListedOffset start = startOffset(groupId, tp, nowMs);
        if (start.error() != Errors.NONE) {
            return new Lookup(null, partition, start.error());
        }
        SharePartition made = states.compute(key, (k, current) ->
                current != null && current.leaderEpoch() == partition.leaderEpoch() ? current
                        : new SharePartition(start.offset(), partition.leaderEpoch(), config.deliveryCountLimit(),
                        config.partitionMaxRecordLocks()));
        return new Lookup(made, partition, Errors.NONE);
    }

    /** The group's state on {@code tp} if it has one here (acknowledgements never make one). */
    SharePartition existing(String groupId, TopicPartition tp) {
        return states.get(new Key(groupId, tp));
    }

    private ListedOffset startOffset(String groupId, TopicPartition tp, long nowMs) {
        String reset = config.autoOffsetReset(groupId);
        boolean readCommitted = config.readCommitted(groupId);
        if (reset.equals("earliest")) {
            return access.listOffset(tp, -1, PartitionAccess.EARLIEST, readCommitted, false);
        }
        if (reset.startsWith("by_duration:")) {
            long since = nowMs - Duration.parse(reset.substring("by_duration:".length())).toMillis();
            ListedOffset found = access.listOffset(tp, -1, since, readCommitted, false);
            if (found.error() != Errors.NONE || found.offset() >= 0) {
                return found;
            }
        }
        return access.listOffset(tp, -1, PartitionAccess.LATEST, readCommitted, false);
    }
}

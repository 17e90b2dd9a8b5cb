package io.millrace.server.share;

import io.millrace.coordinator.share.ShareGroupConfig;
import io.millrace.coordinator.sharestate.ShareStateKey;
import io.millrace.coordinator.sharestate.ShareStateResult;
import io.millrace.server.partition.ListedOffset;
import io.millrace.server.partition.Partition;
import io.millrace.server.partition.PartitionAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-partition states of this broker, one per share group and partition it leads. A state
 * is read from the share coordinator ({@link ShareStateStore}) on a group's first ShareFetch of the
 * partition in this leader epoch: acknowledged and archived records stay so, what was acquired is
 * available again. A group with no state starts where {@code share.auto.offset.reset} says
 * (latest: the high watermark, or the last stable offset for read_committed; earliest: the log
 * start; by_duration: the first record at or after that long ago), and that start is written at
 * once. After acknowledgements {@link #persist} writes the whole state, one write at a time per
 * share-partition, each taking the state as it is when it starts (so the last write carries the
 * latest). As Kafka's leader does, the state is also written when acquired records go back without
 * an acknowledgement (a lock expired: {@link #watchLocks} keeps one timer per share-partition for
 * its earliest lock; a share session closed), so a new leader starts from delivery counts that
 * include those deliveries. Without a store (unit tests) states are in memory only.
 *
 * <p>Thread-safe.
 */
public final class SharePartitions {
    private static final Logger LOG = LoggerFactory.getLogger(SharePartitions.class);

    private record Key(String groupId, TopicPartition tp) {
    }

    /**
     * A share-partition state and the partition it is on, or the error to answer; while the state
     * is being read, no state and the read's future.
     */
    record Lookup(SharePartition state, Partition partition, Errors error, CompletableFuture<Void> loading) {
        Lookup(SharePartition state, Partition partition, Errors error) {
            this(state, partition, error, null);
        }
    }

    private final Map<Key, SharePartition> states = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<Errors>> writes = new ConcurrentHashMap<>();
    private final PartitionAccess access;
    private final ShareGroupConfig config;
    private final ShareStateStore store;
    private final Function<String, Uuid> topicIds;
    /** Where dead letters go (KIP-1191); null when this broker writes none. */
    private volatile DeadLetterWriter deadLetters;

    /** In memory only (tests). */
    public SharePartitions(PartitionAccess access, ShareGroupConfig config) {
        this(access, config, null, name -> null);
    }

    /** @param topicIds the id of a topic by name, null when it does not exist */
    public SharePartitions(PartitionAccess access, ShareGroupConfig config, ShareStateStore store,
                           Function<String, Uuid> topicIds) {
        this.access = access;
        this.config = config;
        this.store = store;
        this.topicIds = topicIds;
    }

    /** Sends the dead letters of groups with a dead-letter topic to {@code writer} from now on. */
    public SharePartitions deadLettersTo(DeadLetterWriter writer) {
        this.deadLetters = writer;
        return this;
    }

    ShareGroupConfig config() {
        return config;
    }

    PartitionAccess access() {
        return access;
    }

    /**
     * The group's state on {@code tp} if this broker leads it; when it has none for the leader
     * epoch, begins reading it and answers the read's future instead.
     */
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
        Uuid topicId = topicIds.apply(tp.topic());
        if (store == null || topicId == null) {
            ListedOffset start = startOffset(groupId, tp, nowMs);
            if (start.error() != Errors.NONE) {
                return new Lookup(null, partition, start.error());
            }
            SharePartition made = states.compute(key, (k, current) ->
                    current != null && current.leaderEpoch() == partition.leaderEpoch() ? current
                            : deadLettering(groupId, new SharePartition(start.offset(), partition.leaderEpoch(),
                            config.deliveryCountLimit(groupId), config.partitionMaxRecordLocks(groupId))));
            return new Lookup(made, partition, Errors.NONE);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> current = loading.putIfAbsent(key, mine);
        if (current == null) {
            current = mine;
            ShareStateKey stateKey = new ShareStateKey(groupId, topicId, tp.partition());
            load(key, stateKey, partition, nowMs).whenComplete((v, t) -> {
                if (t != null) {
                    LOG.warn("Reading the share state of {} failed: {}", stateKey, t.toString());
                }
                loading.remove(key, mine);
                mine.complete(null);
            });
        }
        SharePartition loaded = states.get(key);
        if (loaded != null && loaded.leaderEpoch() == partition.leaderEpoch()) {
            return new Lookup(loaded, partition, Errors.NONE);
        }
        return new Lookup(null, partition, Errors.NONE, current);
    }

    private CompletableFuture<Void> load(Key key, ShareStateKey stateKey, Partition partition, long nowMs) {
        int leaderEpoch = partition.leaderEpoch();
        return store.read(stateKey, leaderEpoch).thenCompose(read -> {
            if (read.error() != Errors.NONE) {
                LOG.warn("Reading the share state of {} failed: {}", stateKey, read.error());
                return CompletableFuture.completedFuture(null);
            }
            if (read.snapshot() != null) {
                SharePartition restored = deadLettering(key.groupId(), SharePartition.restored(read.snapshot(),
                        leaderEpoch, config.deliveryCountLimit(key.groupId()),
                        config.partitionMaxRecordLocks(key.groupId())));
                states.put(key, restored);
                sendDeadLetters(key.groupId(), key.tp(), restored); // archiving when the old leader stopped
                return CompletableFuture.completedFuture(null);
            }
            ListedOffset start = startOffset(key.groupId(), key.tp(), nowMs);
            if (start.error() != Errors.NONE) {
                return CompletableFuture.completedFuture(null);
            }
            SharePartition fresh = deadLettering(key.groupId(), new SharePartition(start.offset(), leaderEpoch,
                    config.deliveryCountLimit(key.groupId()), config.partitionMaxRecordLocks(key.groupId())));
            return store.write(stateKey, fresh.snapshot()).thenAccept(written -> {
                if (written.error() == Errors.NONE) {
                    states.put(key, fresh);
                } else {
                    LOG.warn("Writing the first share state of {} failed: {}", stateKey, written.error());
                }
            });
        });
    }

    /**
     * Writes the group's state on {@code tp} to the share coordinator, after the writes before it;
     * NONE at once when there is nothing to write (no store, no state).
     */
    CompletableFuture<Errors> persist(String groupId, TopicPartition tp) {
        Key key = new Key(groupId, tp);
        SharePartition state = states.get(key);
        Uuid topicId = topicIds.apply(tp.topic());
        if (store == null || state == null || topicId == null) {
            if (state != null) {
                sendDeadLetters(groupId, tp, state);
            }
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        ShareStateKey stateKey = new ShareStateKey(groupId, topicId, tp.partition());
        CompletableFuture<Errors> written = writes.compute(key, (k, previous) -> (previous == null
                        ? CompletableFuture.completedFuture(Errors.NONE) : previous.exceptionally(t -> Errors.NONE))
                .thenCompose(ignored -> store.write(stateKey, state.snapshot()).thenApply(ShareStateResult::error)));
        // as Kafka's leader: records go to the dead-letter topic once their archiving state is durable
        written.thenAccept(error -> {
            if (error == Errors.NONE) {
                sendDeadLetters(groupId, tp, state);
            }
        });
        return written;
    }

    private SharePartition deadLettering(String groupId, SharePartition state) {
        state.deadLetterWhen(() -> deadLetters != null && !config.deadLetterTopic(groupId).isEmpty());
        return state;
    }

    /**
     * Hands the archiving ranges of {@code state} to the dead-letter writer; as each write ends
     * (written or given up) its offsets become archived and the state is written again.
     */
    void sendDeadLetters(String groupId, TopicPartition tp, SharePartition state) {
        DeadLetterWriter writer = deadLetters;
        List<DeadLetter> letters = state.takeDeadLetters();
        for (DeadLetter letter : letters) {
            String topic = config.deadLetterTopic(groupId);
            CompletableFuture<Void> write = writer == null || topic.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : writer.write(groupId, tp, letter, topic, config.deadLetterCopiesRecord(groupId));
            write.whenComplete((v, t) -> {
                if (t != null) {
                    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                            ? t.getCause() : t;
                    LOG.warn("Share group {} archives offsets {}-{} of {} without writing them to its dead-letter "
                            + "topic: {}", groupId, letter.firstOffset(), letter.lastOffset(), tp, cause.getMessage());
                }
                state.archiveDeadLetter(letter);
                if (states.get(new Key(groupId, tp)) == state) {
                    persist(groupId, tp);
                }
            });
        }
    }

    /**
     * Makes sure a timer fires at the earliest lock deadline of {@code state} (one per
     * share-partition): it expires the locks and writes the state when records went back
     * unacknowledged, then watches the next lock, if any. Called after each acquisition.
     */
    void watchLocks(String groupId, TopicPartition tp, SharePartition state) {
        if (store == null) {
            return;
        }
        long deadline = state.earliestLockDeadline();
        if (deadline == Long.MAX_VALUE || !state.claimExpiryCheck()) {
            return;
        }
        long delayMs = Math.max(0, deadline - System.currentTimeMillis()) + 1;
        CompletableFuture.runAsync(() -> checkLocks(groupId, tp, state),
                CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    private void checkLocks(String groupId, TopicPartition tp, SharePartition state) {
        state.expiryCheckDone();
        if (states.get(new Key(groupId, tp)) != state) {
            return; // a new leader epoch or a refresh replaced it
        }
        writeReleases(groupId, tp, state);
        watchLocks(groupId, tp, state);
    }

    /** Writes {@code state} when records went back to available without an acknowledgement since its last such write. */
    void writeReleases(String groupId, TopicPartition tp, SharePartition state) {
        if (store != null && state.takeUnwrittenRelease(System.currentTimeMillis())) {
            persist(groupId, tp).whenComplete((error, t) -> {
                if (t != null || error != Errors.NONE) {
                    LOG.debug("Writing the share state of {} {} after released locks failed: {}", groupId, tp,
                            t != null ? t.toString() : error);
                }
            });
        }
    }

    /**
     * Forgets the group's state on {@code tp} when nothing of it is acquired and no write is under
     * way, so that the next use reads it again from the share coordinator (where
     * AlterShareGroupOffsets may have moved it on). Called when a member opens a share session.
     */
    void refresh(String groupId, TopicPartition tp, long nowMs) {
        if (store == null) {
            return;
        }
        Key key = new Key(groupId, tp);
        SharePartition state = states.get(key);
        CompletableFuture<Errors> write = writes.get(key);
        if (state != null && (write == null || write.isDone()) && state.retireIfIdle(nowMs)) {
            states.remove(key, state);
        }
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

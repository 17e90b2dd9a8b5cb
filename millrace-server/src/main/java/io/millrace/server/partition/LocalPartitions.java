package io.millrace.server.partition;

import io.millrace.common.Time;
import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.config.TopicConfigResolver;
import io.millrace.storage.LogConfig;
import io.millrace.storage.LogManager;
import io.millrace.storage.PartitionLog;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in line with the metadata image: a new image creates,
 * reconfigures or deletes local logs and moves each partition between roles — leader (the epoch
 * starts at the log end offset, follower tracking restarts), follower (the replica fetcher copies
 * it from its leader, through {@link FollowerFetching}) or leaderless (nothing is served).
 *
 * <p>Threads: {@link #onImage} and {@link #loadExisting} run on the metadata thread only,
 * {@link #deleteStrayLogs} on whichever thread learns that the metadata caught up; the three hold
 * this object's lock. Lookups are lock-free from any thread.
 */
public final class LocalPartitions implements MetadataListener {
    private static final Logger log = LoggerFactory.getLogger(LocalPartitions.class);

    private final int nodeId;
    private final LogManager logManager;
    private final TopicConfigResolver configs;
    private final Time time;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private volatile FollowerFetching followerFetching;
    private volatile Consumer<Partition> followerMayJoinIsr = p -> { };
    private volatile MetadataImage image = MetadataImage.EMPTY;
    /** The record count at which stray logs are to be deleted, -1 for none pending. */
    private long strayCheckAt = -1;

    public LocalPartitions(int nodeId, LogManager logManager, TopicConfigResolver configs) {
        this(nodeId, logManager, configs, FollowerFetching.NONE, Time.SYSTEM);
    }

    public LocalPartitions(int nodeId, LogManager logManager, TopicConfigResolver configs,
                           FollowerFetching followerFetching, Time time) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.configs = configs;
        this.followerFetching = followerFetching;
        this.time = time;
    }

    /** Sets the follower side of replication, before the first image arrives. */
    public void setFollowerFetching(FollowerFetching followerFetching) {
        this.followerFetching = followerFetching == null ? FollowerFetching.NONE : followerFetching;
    }

    /** Who hears of a follower that may rejoin a led partition's ISR (the {@link IsrMaintainer}); null for nobody. */
    void setFollowerMayJoinIsrListener(Consumer<Partition> listener) {
        this.followerMayJoinIsr = listener == null ? p -> { } : listener;
    }

    public int nodeId() {
        return nodeId;
    }

    public Time time() {
        return time;
    }

    /** The last image applied (EMPTY before the first). */
    public MetadataImage image() {
        return image;
    }

    public Optional<Partition> get(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    public Partition get(String topic, int partition) {
        return partitions.get(new TopicPartition(topic, partition));
    }

    /** Every hosted partition (a live view). */
    public Collection<Partition> all() {
        return Collections.unmodifiableCollection(partitions.values());
    }

    /**
     * Opens the logs found on disk against {@code image} at start-up: logs of topics that no
     * longer exist (or were re-created under a new id) are deleted.
     */
    public void loadExisting(MetadataImage image) {
        loadExisting(image, true);
    }

    /**
     * As {@link #loadExisting(MetadataImage)}; with {@code deleteStray} false no log is deleted,
     * for a node whose image may still be catching up with its quorum at start-up (a log that
     * looks stray may belong to a topic the image does not show yet).
     */
    public synchronized void loadExisting(MetadataImage image, boolean deleteStray) {
        for (PartitionLog partitionLog : logManager.loadAll(topic -> image.topic(topic)
                .map(configs::logConfig).orElse(LogConfig.defaults()))) {
            if (!deleteStray) {
                continue;
            }
            TopicPartition tp = partitionLog.topicPartition();
            Optional<TopicImage> topic = image.topic(tp.topic());
            boolean current = topic.isPresent() && topic.get().topicId().equals(partitionLog.topicId())
                    && topic.get().partitions().containsKey(tp.partition());
            if (!current) {
                log.info("Deleting local log {}: its topic no longer exists", tp);
                logManager.delete(tp);
            }
        }
    }

    /**
     * Deletes the local logs this node does not host for the current image: those of topics
     * deleted (or re-created under a new id) and of replicas moved away while the node was down,
     * which {@link #loadExisting(MetadataImage, boolean)} kept while the image was catching up.
     * Call once the metadata has caught up with the quorum at {@code recordCount}; when the image
     * this object last applied is older, the deletion waits for that image.
     *
     * @return how many logs were deleted now
     */
    public synchronized int deleteStrayLogs(long recordCount) {
        if (image.recordCount() < recordCount) {
            strayCheckAt = recordCount;
            return 0;
        }
        strayCheckAt = -1;
        int deleted = 0;
        for (PartitionLog partitionLog : logManager.all()) {
            TopicPartition tp = partitionLog.topicPartition();
            Partition hosted = partitions.get(tp);
            if (hosted != null && hosted.log() == partitionLog) {
                continue;
            }
            log.info("Deleting stray local log {} (topic id {}): the metadata, caught up, does not place it "
                    + "on node {}", tp, partitionLog.topicId(), nodeId);
            logManager.delete(tp);
            deleted++;
        }
        return deleted;
    }

    @Override
    public synchronized void onImage(MetadataImage previous, MetadataImage current) {
        image = current;
        Set<TopicPartition> wanted = new HashSet<>();
        boolean brokerConfigsChanged = !previous.brokerConfigs().equals(current.brokerConfigs());
        for (TopicImage topic : current.topics()) {
            TopicImage before = previous.topic(topic.topicId()).orElse(null);
            boolean reconfigure = brokerConfigsChanged || (before != null && !before.configs().equals(topic.configs()));
            LogConfig logConfig = null;
            int minIsr = 0;
            for (PartitionRecord state : topic.partitions().values()) {
                if (!state.replicas().contains(nodeId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                wanted.add(tp);
                if (logConfig == null) {
                    logConfig = configs.logConfig(topic);
                    minIsr = configs.minInsyncReplicas(topic);
                }
                Partition existing = partitions.get(tp);
                if (existing != null && existing.topicId().equals(topic.topicId())) {
                    PartitionRecord old = existing.state();
                    existing.updateState(state, minIsr);
                    if (reconfigure) {
                        existing.log().updateConfig(logConfig);
                    }
                    applyRole(existing, old, state);
                    continue;
                }
                if (existing != null) {
                    remove(tp);
                }
                PartitionLog partitionLog = logManager.getOrCreate(tp, topic.topicId(), logConfig);
                if (state.replicas().size() == 1) {
                    partitionLog.updateHighWatermark(partitionLog.logEndOffset());
                }
                Partition created = new Partition(nodeId, tp, topic.topicId(), partitionLog, state, minIsr, time,
                        p -> followerMayJoinIsr.accept(p));
                partitions.put(tp, created);
                applyRole(created, null, state);
            }
        }
        for (TopicPartition tp : Set.copyOf(partitions.keySet())) {
            if (!wanted.contains(tp)) {
                remove(tp);
            }
        }
        if (strayCheckAt >= 0 && current.recordCount() >= strayCheckAt) {
            deleteStrayLogs(strayCheckAt);
        }
    }

    /** Moves {@code partition} to the role {@code state} gives this broker ({@code old} is null for a new partition). */
    private void applyRole(Partition partition, PartitionRecord old, PartitionRecord state) {
        TopicPartition tp = partition.topicPartition();
        boolean wasLeader = old != null && old.leader() == nodeId;
        if (state.leader() == nodeId) {
            if (!wasLeader || old.leaderEpoch() != state.leaderEpoch()) {
                followerFetching.unfollow(tp);
                partition.becomeLeader(wasLeader);
                if (!wasLeader && state.replicas().size() > 1) {
                    log.info("Leading {} at epoch {} from offset {} (ISR {})", tp, state.leaderEpoch(),
                            partition.log().logEndOffset(), state.isr());
                }
            } else if (!old.equals(state)) {
                partition.leaderStateChanged(old);
            }
            return;
        }
        if (wasLeader) {
            partition.resign();
        }
        if (state.leader() == PartitionRecord.NO_LEADER) {
            if (old == null || old.leader() != PartitionRecord.NO_LEADER) {
                followerFetching.unfollow(tp);
                partition.resign();
                log.info("{} has no leader (epoch {}): not served", tp, state.leaderEpoch());
            }
            return;
        }
        if (old == null || old.leader() != state.leader() || old.leaderEpoch() != state.leaderEpoch()) {
            partition.signalDataArrived();
            followerFetching.follow(partition, state.leader(), state.leaderEpoch());
        }
    }

    private void remove(TopicPartition tp) {
        followerFetching.unfollow(tp);
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            removed.resign();
            logManager.delete(tp);
            log.info("Deleted partition {}", tp);
        }
    }
}

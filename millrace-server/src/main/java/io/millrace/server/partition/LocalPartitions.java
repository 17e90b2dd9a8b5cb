package io.millrace.server.partition;

import io.millrace.metadata.controller.MetadataListener;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.server.config.TopicConfigResolver;
import io.millrace.storage.LogConfig;
import io.millrace.storage.LogManager;
import io.millrace.storage.PartitionLog;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in line with the metadata image: a new image creates,
 * reconfigures or deletes local logs (the "backend" that reconciles local replicas with the
 * metadata table).
 *
 * <p>Threads: {@link #onImage} runs on the metadata thread only; lookups are lock-free from any
 * thread.
 */
public final class LocalPartitions implements MetadataListener {
    private static final Logger log = LoggerFactory.getLogger(LocalPartitions.class);

    private final int nodeId;
    private final LogManager logManager;
    private final TopicConfigResolver configs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    public LocalPartitions(int nodeId, LogManager logManager, TopicConfigResolver configs) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.configs = configs;
    }

    public Optional<Partition> get(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    public Partition get(String topic, int partition) {
        return partitions.get(new TopicPartition(topic, partition));
    }

    /**
     * Opens the logs found on disk against {@code image} at start-up: logs of topics that no
     * longer exist (or were re-created under a new id) are deleted.
     */
    public void loadExisting(MetadataImage image) {
        for (PartitionLog partitionLog : logManager.loadAll(topic -> image.topic(topic)
                .map(configs::logConfig).orElse(LogConfig.defaults()))) {
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

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
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
                    existing.updateState(state, minIsr);
                    if (reconfigure) {
                        existing.log().updateConfig(logConfig);
                    }
                    continue;
                }
                if (existing != null) {
                    remove(tp);
                }
                PartitionLog partitionLog = logManager.getOrCreate(tp, topic.topicId(), logConfig);
                partitionLog.updateHighWatermark(partitionLog.logEndOffset());
                partitions.put(tp, new Partition(tp, topic.topicId(), partitionLog, state, minIsr));
            }
        }
        for (TopicPartition tp : Set.copyOf(partitions.keySet())) {
            if (!wanted.contains(tp)) {
                remove(tp);
            }
        }
    }

    private void remove(TopicPartition tp) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            removed.signalDataArrived();
            logManager.delete(tp);
            log.info("Deleted partition {}", tp);
        }
    }
}

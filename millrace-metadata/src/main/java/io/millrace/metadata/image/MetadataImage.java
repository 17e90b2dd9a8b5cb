package io.millrace.metadata.image;

import io.millrace.metadata.records.MetadataRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The cluster metadata at one point of the record stream: immutable, so any thread may read it
 * without locks. A new image is made by replaying records onto an old one ({@link #apply}).
 *
 * @param topicsById    every topic by id
 * @param topicIdByName name to id
 * @param brokerConfigs dynamic broker configs: "" for the cluster default, else a broker id
 * @param groupConfigs  dynamic group configs by group id
 * @param brokers       registered brokers by id
 * @param nextProducerId the first producer id not yet handed out
 * @param recordCount   how many records have been replayed to reach this image
 */
public record MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                            Map<String, Map<String, String>> brokerConfigs,
                            Map<String, Map<String, String>> groupConfigs, Map<Integer, BrokerImage> brokers,
                            long nextProducerId, long recordCount) {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0L, 0L);

    public MetadataImage {
        topicsById = Map.copyOf(topicsById);
        topicIdByName = Map.copyOf(topicIdByName);
        brokerConfigs = Map.copyOf(brokerConfigs);
        groupConfigs = Map.copyOf(groupConfigs);
        brokers = Map.copyOf(brokers);
    }

    public Optional<BrokerImage> broker(int brokerId) {
        return Optional.ofNullable(brokers.get(brokerId));
    }

    /** Ids of the brokers that may lead and host in-sync replicas (registered, unfenced, not shutting down), ascending. */
    public List<Integer> activeBrokerIds() {
        return brokers.values().stream().filter(BrokerImage::isActive).map(BrokerImage::brokerId).sorted().toList();
    }

    public Optional<TopicImage> topic(String name) {
        Uuid id = topicIdByName.get(name);
        return id == null ? Optional.empty() : Optional.ofNullable(topicsById.get(id));
    }

    public Optional<TopicImage> topic(Uuid id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    public Collection<TopicImage> topics() {
        return topicsById.values();
    }

    public Map<String, String> brokerConfig(String resourceName) {
        return brokerConfigs.getOrDefault(resourceName, Map.of());
    }

    public Map<String, String> groupConfig(String groupId) {
        return groupConfigs.getOrDefault(groupId, Map.of());
    }

    /** This image with {@code records} replayed in order. */
    public MetadataImage apply(List<? extends MetadataRecord> records) {
        ImageBuilder builder = new ImageBuilder(this);
        for (MetadataRecord record : records) {
            builder.replay(record);
        }
        return builder.build();
    }
}

package io.millrace.metadata.image;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
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
 * @param scramCredentials SCRAM credentials by user, then mechanism
 * @param acls          ACLs by id; the same map instance as long as no ACL record is replayed, so
 *                      a reader may cache what it derives from it by identity
 * @param clientQuotas  client quotas by entity
 */
public record MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                            Map<String, Map<String, String>> brokerConfigs,
                            Map<String, Map<String, String>> groupConfigs, Map<Integer, BrokerImage> brokers,
                            long nextProducerId, long recordCount,
                            Map<String, Map<ScramMechanism, ScramCredentialRecord>> scramCredentials,
                            Map<Uuid, AclEntry> acls, ClientQuotasImage clientQuotas) {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0L, 0L);

    /** An image without SCRAM credentials and ACLs. */
    public MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                         Map<String, Map<String, String>> brokerConfigs, Map<String, Map<String, String>> groupConfigs,
                         Map<Integer, BrokerImage> brokers, long nextProducerId, long recordCount) {
        this(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, recordCount, Map.of(),
                Map.of(), ClientQuotasImage.EMPTY);
    }

    /** An image without client quotas. */
    public MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                         Map<String, Map<String, String>> brokerConfigs, Map<String, Map<String, String>> groupConfigs,
                         Map<Integer, BrokerImage> brokers, long nextProducerId, long recordCount,
                         Map<String, Map<ScramMechanism, ScramCredentialRecord>> scramCredentials,
                         Map<Uuid, AclEntry> acls) {
        this(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, recordCount,
                scramCredentials, acls, ClientQuotasImage.EMPTY);
    }

    /** An image without ACLs. */
    public MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                         Map<String, Map<String, String>> brokerConfigs, Map<String, Map<String, String>> groupConfigs,
                         Map<Integer, BrokerImage> brokers, long nextProducerId, long recordCount,
                         Map<String, Map<ScramMechanism, ScramCredentialRecord>> scramCredentials,
                         ClientQuotasImage clientQuotas) {
        this(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, recordCount,
                scramCredentials, Map.of(), clientQuotas);
    }

    /** An image without ACLs and client quotas. */
    public MetadataImage(Map<Uuid, TopicImage> topicsById, Map<String, Uuid> topicIdByName,
                         Map<String, Map<String, String>> brokerConfigs, Map<String, Map<String, String>> groupConfigs,
                         Map<Integer, BrokerImage> brokers, long nextProducerId, long recordCount,
                         Map<String, Map<ScramMechanism, ScramCredentialRecord>> scramCredentials) {
        this(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, recordCount,
                scramCredentials, Map.of(), ClientQuotasImage.EMPTY);
    }

    public MetadataImage {
        topicsById = Map.copyOf(topicsById);
        topicIdByName = Map.copyOf(topicIdByName);
        brokerConfigs = Map.copyOf(brokerConfigs);
        groupConfigs = Map.copyOf(groupConfigs);
        brokers = Map.copyOf(brokers);
        scramCredentials = Map.copyOf(scramCredentials);
        acls = Map.copyOf(acls);
        clientQuotas = clientQuotas == null ? ClientQuotasImage.EMPTY : clientQuotas;
    }

    /** This image with {@code recordCount} instead of its own (a snapshot stores the count beside the records). */
    public MetadataImage withRecordCount(long count) {
        return new MetadataImage(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, count,
                scramCredentials, acls, clientQuotas);
    }

    /** The SCRAM credential of {@code user} for {@code mechanism}, if one is set. */
    public Optional<ScramCredentialRecord> scramCredential(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(scramCredentials.getOrDefault(user, Map.of()).get(mechanism));
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

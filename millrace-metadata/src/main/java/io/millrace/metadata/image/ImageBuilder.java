package io.millrace.metadata.image;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import io.millrace.metadata.records.RemoveAclRecord;
import io.millrace.metadata.records.RemoveScramCredentialRecord;
import io.millrace.metadata.records.RemoveTopicRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.metadata.records.TopicRecord;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * Replays records onto a copy of an image. The one place metadata state changes. Not
 * thread-safe: used by one thread to make the next image.
 */
final class ImageBuilder {
    private final Map<Uuid, TopicImage> topicsById;
    private final Map<String, Uuid> topicIdByName;
    private final Map<String, Map<String, String>> brokerConfigs;
    private final Map<String, Map<String, String>> groupConfigs;
    private final Map<Integer, BrokerImage> brokers;
    private final Map<String, Map<ScramMechanism, ScramCredentialRecord>> scramCredentials;
    private Map<Uuid, AclEntry> acls;
    private boolean aclsCopied;
    private ClientQuotasImage clientQuotas;
    private long nextProducerId;
    private long recordCount;
    /**
     * The partitions of each topic this batch changed, copied from the image once per batch and
     * turned into its {@link TopicImage} by {@link #build}: replaying a topic's N partition records
     * copies its partitions once, not N times (creating a topic of N partitions was O(N^2)).
     */
    private final Map<Uuid, TreeMap<Integer, PartitionRecord>> changedPartitions = new HashMap<>();

    ImageBuilder(MetadataImage base) {
        this.topicsById = new HashMap<>(base.topicsById());
        this.topicIdByName = new HashMap<>(base.topicIdByName());
        this.brokerConfigs = new HashMap<>(base.brokerConfigs());
        this.groupConfigs = new HashMap<>(base.groupConfigs());
        this.brokers = new HashMap<>(base.brokers());
        this.scramCredentials = new HashMap<>(base.scramCredentials());
        this.acls = base.acls(); // copied on the first ACL record only: the image keeps the same instance otherwise
        this.clientQuotas = base.clientQuotas();
        this.nextProducerId = base.nextProducerId();
        this.recordCount = base.recordCount();
    }

    void replay(MetadataRecord record) {
        recordCount++;
        switch (record) {
            case TopicRecord r -> {
                topicsById.put(r.topicId(), new TopicImage(r.name(), r.topicId(), new TreeMap<>(), Map.of()));
                changedPartitions.remove(r.topicId());
                topicIdByName.put(r.name(), r.topicId());
            }
            case PartitionRecord r -> {
                TopicImage topic = topicsById.get(r.topicId());
                if (topic == null) {
                    throw new IllegalStateException("Partition record for unknown topic " + r.topicId());
                }
                changedPartitions.computeIfAbsent(r.topicId(), id -> new TreeMap<>(topic.partitions()))
                        .put(r.partition(), r);
            }
            case RemoveTopicRecord r -> {
                changedPartitions.remove(r.topicId());
                TopicImage removed = topicsById.remove(r.topicId());
                if (removed != null) {
                    topicIdByName.remove(removed.name());
                }
            }
            case ConfigRecord r -> replayConfig(r);
            case ProducerIdsRecord r -> nextProducerId = Math.max(nextProducerId, r.nextProducerId());
            case BrokerRegistrationRecord r -> brokers.put(r.brokerId(), new BrokerImage(r.brokerId(), r.brokerEpoch(),
                    r.incarnationId(), r.endpoints(), r.rack(), r.fenced(), false));
            case ScramCredentialRecord r -> {
                Map<ScramMechanism, ScramCredentialRecord> byMechanism = new EnumMap<>(ScramMechanism.class);
                byMechanism.putAll(scramCredentials.getOrDefault(r.user(), Map.of()));
                byMechanism.put(r.mechanism(), r);
                scramCredentials.put(r.user(), Map.copyOf(byMechanism));
            }
            case RemoveScramCredentialRecord r -> {
                Map<ScramMechanism, ScramCredentialRecord> byMechanism = new HashMap<>(
                        scramCredentials.getOrDefault(r.user(), Map.of()));
                byMechanism.remove(r.mechanism());
                if (byMechanism.isEmpty()) {
                    scramCredentials.remove(r.user());
                } else {
                    scramCredentials.put(r.user(), Map.copyOf(byMechanism));
                }
            }
            case AclRecord r -> mutableAcls().put(r.id(), r.acl());
            case RemoveAclRecord r -> mutableAcls().remove(r.id());
            case ClientQuotaRecord r -> clientQuotas = clientQuotas.with(r);
            case BrokerStateRecord r -> {
                BrokerImage b = brokers.get(r.brokerId());
                if (b != null && b.brokerEpoch() == r.brokerEpoch()) {
                    brokers.put(r.brokerId(), new BrokerImage(b.brokerId(), b.brokerEpoch(), b.incarnationId(),
                            b.endpoints(), b.rack(), r.fenced(), r.inControlledShutdown()));
                }
            }
        }
    }

    private void replayConfig(ConfigRecord r) {
        if (r.resourceType() == ConfigRecord.TOPIC) {
            Uuid id = topicIdByName.get(r.resourceName());
            if (id == null) {
                return; // config of a topic deleted since: nothing to apply it to
            }
            TopicImage topic = topicsById.get(id);
            topicsById.put(id, new TopicImage(topic.name(), id, topic.partitions(),
                    withEntry(topic.configs(), r.name(), r.value())));
        } else {
            Map<String, Map<String, String>> configs = r.resourceType() == ConfigRecord.GROUP ? groupConfigs : brokerConfigs;
            Map<String, String> updated = withEntry(configs.getOrDefault(r.resourceName(), Map.of()), r.name(), r.value());
            if (updated.isEmpty()) {
                configs.remove(r.resourceName());
            } else {
                configs.put(r.resourceName(), updated);
            }
        }
    }

    private static Map<String, String> withEntry(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new HashMap<>(base);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    private Map<Uuid, AclEntry> mutableAcls() {
        if (!aclsCopied) {
            acls = new HashMap<>(acls);
            aclsCopied = true;
        }
        return acls;
    }

    MetadataImage build() {
        changedPartitions.forEach((id, partitions) -> {
            TopicImage topic = topicsById.get(id);
            topicsById.put(id, new TopicImage(topic.name(), id, partitions, topic.configs()));
        });
        changedPartitions.clear();
        return new MetadataImage(topicsById, topicIdByName, brokerConfigs, groupConfigs, brokers, nextProducerId, recordCount,
                scramCredentials, acls, clientQuotas);
    }
}

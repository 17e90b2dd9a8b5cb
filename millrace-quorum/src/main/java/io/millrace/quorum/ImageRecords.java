package io.millrace.quorum;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.TopicRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records that rebuild an image from {@link MetadataImage#EMPTY}: what a snapshot holds.
 * {@code MetadataImage.EMPTY.apply(ImageRecords.of(image))} equals {@code image} except for
 * {@code recordCount}, which a snapshot stores beside the records. Stateless.
 */
public final class ImageRecords {
    private ImageRecords() {
    }

    /** Topics (with partitions and configs), broker and group configs, brokers, SCRAM credentials, ACLs, client quotas, then producer ids; sorted for stable output. */
    public static List<MetadataRecord> of(MetadataImage image) {
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicImage> topics = new ArrayList<>(image.topics());
        topics.sort(Comparator.comparing(TopicImage::name));
        for (TopicImage topic : topics) {
            records.add(new TopicRecord(topic.name(), topic.topicId()));
            for (PartitionRecord partition : topic.partitions().values()) {
                records.add(partition);
            }
            addConfigs(records, ConfigRecord.TOPIC, topic.name(), topic.configs());
        }
        new TreeMap<>(image.brokerConfigs()).forEach((name, configs) ->
                addConfigs(records, ConfigRecord.BROKER, name, configs));
        new TreeMap<>(image.groupConfigs()).forEach((group, configs) ->
                addConfigs(records, ConfigRecord.GROUP, group, configs));
        new TreeMap<>(image.brokers()).values().forEach(broker -> addBroker(records, broker));
        new TreeMap<>(image.scramCredentials()).values().forEach(byMechanism -> byMechanism.values().stream()
                .sorted(Comparator.comparing(ScramCredentialRecord::mechanism)).forEach(records::add));
        new TreeMap<>(image.acls()).forEach((id, acl) -> records.add(new AclRecord(id, acl)));
        image.clientQuotas().entities().entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toString()))
                .forEach(e -> new TreeMap<>(e.getValue()).forEach((key, value) ->
                        records.add(ClientQuotaRecord.set(e.getKey(), key, value))));
        if (image.nextProducerId() > 0) {
            records.add(new ProducerIdsRecord(-1, image.nextProducerId()));
        }
        return List.copyOf(records);
    }

    private static void addConfigs(List<MetadataRecord> records, byte type, String resource, Map<String, String> configs) {
        new TreeMap<>(configs).forEach((name, value) -> records.add(new ConfigRecord(type, resource, name, value)));
    }

    private static void addBroker(List<MetadataRecord> records, BrokerImage broker) {
        records.add(new BrokerRegistrationRecord(broker.brokerId(), broker.brokerEpoch(), broker.incarnationId(),
                broker.endpoints(), broker.rack(), broker.fenced()));
        records.add(new BrokerStateRecord(broker.brokerId(), broker.brokerEpoch(), broker.fenced(),
                broker.inControlledShutdown()));
    }
}

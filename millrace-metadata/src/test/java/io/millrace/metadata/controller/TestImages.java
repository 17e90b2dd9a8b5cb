package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.BrokerRegistrationRecord;
import io.millrace.metadata.records.BrokerStateRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/** Builds images for the pure command tests. Broker b has epoch 100 + b. */
final class TestImages {
    static final Uuid TOPIC_ID = new Uuid(1, 1);
    static final String TOPIC = "t";
    static final ControllerSettings SETTINGS = new ControllerSettings(1, (short) 1, 9_000, false, true, 300_000);
    static final ControllerSettings UNCLEAN = new ControllerSettings(1, (short) 1, 9_000, true, true, 300_000);

    private final List<MetadataRecord> records = new ArrayList<>();

    static TestImages builder() {
        return new TestImages();
    }

    static long epochOf(int brokerId) {
        return 100 + brokerId;
    }

    /** Registered and unfenced. */
    TestImages active(int... ids) {
        for (int id : ids) {
            register(id, null);
            records.add(new BrokerStateRecord(id, epochOf(id), false, false));
        }
        return this;
    }

    TestImages activeOnRack(int id, String rack) {
        register(id, rack);
        records.add(new BrokerStateRecord(id, epochOf(id), false, false));
        return this;
    }

    /** Registered and fenced. */
    TestImages fenced(int... ids) {
        for (int id : ids) {
            register(id, null);
        }
        return this;
    }

    TestImages shuttingDown(int id) {
        register(id, null);
        records.add(new BrokerStateRecord(id, epochOf(id), false, true));
        return this;
    }

    private void register(int id, String rack) {
        records.add(new BrokerRegistrationRecord(id, epochOf(id), new Uuid(7, id),
                List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9000 + id, "PLAINTEXT")), rack, true));
    }

    TestImages topic() {
        records.add(new TopicRecord(TOPIC, TOPIC_ID));
        return this;
    }

    TestImages partition(int partition, List<Integer> replicas, List<Integer> isr, int leader) {
        records.add(new PartitionRecord(TOPIC_ID, partition, replicas, isr, leader, 5, 10));
        return this;
    }

    TestImages record(MetadataRecord record) {
        records.add(record);
        return this;
    }

    MetadataImage build() {
        return MetadataImage.EMPTY.apply(records);
    }

    static PartitionRecord partitionOf(MetadataImage image, int partition) {
        return image.topic(TOPIC_ID).orElseThrow().partitions().get(partition);
    }

    /** The image after the result's records. */
    static MetadataImage after(MetadataImage image, CommandResult<?> result) {
        return image.apply(result.records());
    }
}

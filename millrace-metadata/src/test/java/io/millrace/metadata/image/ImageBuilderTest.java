package io.millrace.metadata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.PartitionRecord;
import io.millrace.metadata.records.RemoveTopicRecord;
import io.millrace.metadata.records.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ImageBuilderTest {
    private static final Uuid ID = Uuid.randomUuid();

    private static PartitionRecord partition(int p, int leader, int leaderEpoch) {
        return new PartitionRecord(ID, p, List.of(1, 2), List.of(1, 2), leader, leaderEpoch, leaderEpoch);
    }

    @Test
    void aBatchOfManyPartitionRecordsAndConfigsMakesOneConsistentTopic() {
        List<MetadataRecord> create = new ArrayList<>();
        create.add(new TopicRecord("t", ID));
        for (int p = 0; p < 1_000; p++) {
            create.add(partition(p, 1, 0));
            if (p == 500) {
                create.add(new ConfigRecord(ConfigRecord.TOPIC, "t", "retention.ms", "1000"));
            }
        }
        MetadataImage image = MetadataImage.EMPTY.apply(create);
        TopicImage topic = image.topic("t").orElseThrow();
        assertEquals(1_000, topic.partitionCount());
        assertEquals(Map.of("retention.ms", "1000"), topic.configs());

        MetadataImage next = image.apply(List.of(partition(7, 2, 1), partition(7, 1, 2),
                new ConfigRecord(ConfigRecord.TOPIC, "t", "retention.ms", "2000"), partition(999, 2, 1)));
        TopicImage changed = next.topic("t").orElseThrow();
        assertEquals(1_000, changed.partitionCount());
        assertEquals(1, changed.partitions().get(7).leader());
        assertEquals(2, changed.partitions().get(7).leaderEpoch());
        assertEquals(2, changed.partitions().get(999).leader());
        assertEquals(Map.of("retention.ms", "2000"), changed.configs());
        assertEquals(1, image.topic("t").orElseThrow().partitions().get(7).leader()); // the old image is untouched
        assertEquals(0, image.topic("t").orElseThrow().partitions().get(7).leaderEpoch());

        MetadataImage removed = next.apply(List.of(partition(3, 2, 5), new RemoveTopicRecord(ID)));
        assertTrue(removed.topic("t").isEmpty());
        assertTrue(removed.topicsById().isEmpty());
    }
}

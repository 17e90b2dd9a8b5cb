package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.PartitionRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionElectionsTest {

    @Test
    void firstActiveIsrReplicaInReplicaOrderLeads() {
        MetadataImage image = TestImages.builder().active(2, 3).fenced(1).build();
        assertEquals(new PartitionElections.LeaderAndIsr(3, List.of(1, 3)),
                PartitionElections.elect(image, List.of(1, 3, 2), List.of(1, 3), false));
    }

    @Test
    void withoutEligibleLeaderTheIsrIsKeptUnlessUncleanElectionIsEnabled() {
        MetadataImage image = TestImages.builder().active(2).fenced(1).build();
        assertEquals(new PartitionElections.LeaderAndIsr(PartitionRecord.NO_LEADER, List.of(1)),
                PartitionElections.elect(image, List.of(1, 2), List.of(1), false));
        assertEquals(new PartitionElections.LeaderAndIsr(2, List.of(2)),
                PartitionElections.elect(image, List.of(1, 2), List.of(1), true));
    }

    @Test
    void uncleanSettingTopicOverrideBeatsClusterDefaultBeatsStatic() {
        MetadataImage image = TestImages.builder().topic().build();
        var topic = image.topic(TestImages.TOPIC).orElseThrow();
        assertFalse(PartitionElections.uncleanEnabled(image, topic, SETTINGS));
        image = image.apply(List.of(new ConfigRecord(ConfigRecord.BROKER, "", PartitionElections.UNCLEAN_CONFIG, "true")));
        topic = image.topic(TestImages.TOPIC).orElseThrow();
        assertTrue(PartitionElections.uncleanEnabled(image, topic, SETTINGS));
        image = image.apply(List.of(new ConfigRecord(ConfigRecord.TOPIC, TestImages.TOPIC,
                PartitionElections.UNCLEAN_CONFIG, "false")));
        topic = image.topic(TestImages.TOPIC).orElseThrow();
        assertFalse(PartitionElections.uncleanEnabled(image, topic, TestImages.UNCLEAN));
    }

    @Test
    void epochsBumpByKindOfChange() {
        PartitionRecord p = new PartitionRecord(TestImages.TOPIC_ID, 0, List.of(1, 2), List.of(1, 2), 1, 5, 10);
        assertSame(p, PartitionStates.withLeaderAndIsr(p, 1, List.of(1, 2)));
        PartitionRecord shrunk = PartitionStates.withLeaderAndIsr(p, 1, List.of(1));
        assertEquals(5, shrunk.leaderEpoch());
        assertEquals(11, shrunk.partitionEpoch());
        PartitionRecord moved = PartitionStates.withLeaderAndIsr(p, 2, List.of(2));
        assertEquals(6, moved.leaderEpoch());
        assertEquals(11, moved.partitionEpoch());
    }
}

package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.coordinator.TopicsView.TopicInfo;
import io.millrace.coordinator.runtime.CoordinatorRecord;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ConsumerGroupRecordsTest {
    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid U = Uuid.randomUuid();

    @Test
    void everyRecordKindRoundTrips() {
        CoordinatorRecord epoch = ConsumerGroupRecords.groupEpoch("grüppe", 42);
        assertEquals(CoordinatorRecord.CONSUMER_GROUP_METADATA, epoch.keyType());
        assertEquals(new ConsumerGroupRecords.Key("grüppe", null), ConsumerGroupRecords.key(epoch));
        assertEquals(42, ConsumerGroupRecords.readGroupEpoch(epoch.value()));

        List<TopicInfo> topics = List.of(new TopicInfo("a", T, 3), new TopicInfo("b", U, 100_000));
        assertEquals(topics, ConsumerGroupRecords.readSubscriptionMetadata(
                ConsumerGroupRecords.subscriptionMetadata("g", topics).value()));

        ConsumerGroupMember member = new ConsumerGroupMember("m", "i", null, "c", "/1.2.3.4", List.of("b", "a"),
                "x.*", "range", 300_000);
        CoordinatorRecord memberRecord = ConsumerGroupRecords.member("g", member);
        assertEquals(new ConsumerGroupRecords.Key("g", "m"), ConsumerGroupRecords.key(memberRecord));
        assertEquals(member, ConsumerGroupRecords.readMember("m", memberRecord.value()));

        assertEquals(-7, ConsumerGroupRecords.readTargetEpoch(ConsumerGroupRecords.targetEpoch("g", -7).value()));

        PartitionSet partitions = PartitionSet.builder().addAll(T, List.of(0, 1, 500, 70_000)).add(U, 3).build();
        assertEquals(partitions, ConsumerGroupRecords.readTarget(ConsumerGroupRecords.target("g", "m", partitions).value()));

        MemberAssignment assignment = new MemberAssignment(-2, 9, MemberState.UNREVOKED_PARTITIONS, partitions,
                PartitionSet.builder().add(U, 0).build());
        assertEquals(assignment, ConsumerGroupRecords.readCurrentAssignment(
                ConsumerGroupRecords.currentAssignment("g", "m", assignment).value()));
    }

    @Test
    void tombstonesKeepTheKey() {
        CoordinatorRecord tombstone = ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_MEMBER, "g", "m");
        assertTrue(tombstone.isTombstone());
        assertArrayEquals(ConsumerGroupRecords.member("g", new ConsumerGroupMember("m", null, null, "", "", List.of(),
                null, null, 0)).key(), tombstone.key());
        assertNull(ConsumerGroupRecords.key(
                ConsumerGroupRecords.tombstone(CoordinatorRecord.CONSUMER_GROUP_METADATA, "g", null)).memberId());
    }

    @Test
    void encodingIsCompact() {
        PartitionSet partitions = PartitionSet.builder().addAll(T, List.of(0, 1, 2, 3, 4, 5)).build();
        // version, topic count, uuid, count, six one-byte gaps
        assertEquals(1 + 1 + 16 + 1 + 6, ConsumerGroupRecords.target("g", "m", partitions).value().length);
    }

    @Test
    void truncatedValuesFailLoudly() {
        byte[] value = ConsumerGroupRecords.target("g", "m", PartitionSet.builder().add(T, 1).build()).value();
        assertThrows(IllegalArgumentException.class,
                () -> ConsumerGroupRecords.readTarget(Arrays.copyOf(value, value.length - 3)));
    }
}

package io.millrace.metadata.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.MetadataRecordSerde;
import io.millrace.metadata.records.RemoveAclRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclFilterTest {
    private static final AclEntry LITERAL = new AclEntry(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclEntry PREFIXED = new AclEntry(ResourceType.TOPIC, "ord", PatternType.PREFIXED,
            "User:bob", "10.0.0.1", AclOperation.WRITE, AclPermissionType.DENY);
    private static final AclEntry WILDCARD = new AclEntry(ResourceType.TOPIC, "*", PatternType.LITERAL,
            "User:*", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW);

    private static AclFilter pattern(ResourceType type, String name, PatternType patternType) {
        return new AclFilter(type, name, patternType, null, null, AclOperation.ANY, AclPermissionType.ANY);
    }

    @Test
    void anyMatchesEverything() {
        assertTrue(AclFilter.ANY.matches(LITERAL));
        assertTrue(AclFilter.ANY.matches(PREFIXED));
        assertFalse(AclFilter.ANY.isUnknown());
    }

    @Test
    void patternTypesOfTheFilter() {
        // LITERAL / PREFIXED: that pattern type, exact name
        assertTrue(pattern(ResourceType.TOPIC, "orders", PatternType.LITERAL).matches(LITERAL));
        assertFalse(pattern(ResourceType.TOPIC, "orders", PatternType.LITERAL).matches(PREFIXED));
        assertTrue(pattern(ResourceType.TOPIC, "ord", PatternType.PREFIXED).matches(PREFIXED));
        // ANY: either pattern type, exact name
        assertTrue(pattern(ResourceType.TOPIC, "ord", PatternType.ANY).matches(PREFIXED));
        assertFalse(pattern(ResourceType.TOPIC, "orders", PatternType.ANY).matches(PREFIXED));
        // MATCH: every ACL that applies to the named resource
        AclFilter match = pattern(ResourceType.TOPIC, "orders", PatternType.MATCH);
        assertTrue(match.matches(LITERAL));
        assertTrue(match.matches(PREFIXED));
        assertTrue(match.matches(WILDCARD));
        assertFalse(pattern(ResourceType.TOPIC, "payments", PatternType.MATCH).matches(PREFIXED));
        assertFalse(pattern(ResourceType.GROUP, null, PatternType.ANY).matches(LITERAL));
    }

    @Test
    void entryParts() {
        assertTrue(new AclFilter(ResourceType.ANY, null, PatternType.ANY, "User:bob", "10.0.0.1", AclOperation.WRITE,
                AclPermissionType.DENY).matches(PREFIXED));
        assertFalse(new AclFilter(ResourceType.ANY, null, PatternType.ANY, "User:alice", null, AclOperation.ANY,
                AclPermissionType.ANY).matches(PREFIXED));
        assertFalse(new AclFilter(ResourceType.ANY, null, PatternType.ANY, null, null, AclOperation.ANY,
                AclPermissionType.ALLOW).matches(PREFIXED));
        assertTrue(new AclFilter(ResourceType.ANY, null, PatternType.UNKNOWN, null, null, AclOperation.ANY,
                AclPermissionType.ANY).isUnknown());
    }

    @Test
    void recordsRoundTrip() {
        AclRecord record = new AclRecord(Uuid.randomUuid(), PREFIXED);
        assertEquals(record, MetadataRecordSerde.deserialize(MetadataRecordSerde.serialize(record)));
        RemoveAclRecord remove = new RemoveAclRecord(record.id());
        assertEquals(remove, MetadataRecordSerde.deserialize(MetadataRecordSerde.serialize(remove)));
    }
}
